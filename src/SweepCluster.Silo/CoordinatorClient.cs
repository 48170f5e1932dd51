using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Polly;
using Polly.Retry;
using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo;

/// <summary>
/// Typed client of the coordinator's silo endpoints, with the silo bearer token. Transport errors,
/// timeouts and 5xx answers are retried with exponential backoff and jitter; a 4xx is never retried
/// and surfaces as <see cref="CoordinatorRequestException"/> at once. Every silo request is safe to
/// repeat: metric batches and artifacts are idempotent, a repeated completion or failure is
/// acknowledged. Thread safe.
/// </summary>
public sealed class CoordinatorClient
{
    private readonly HttpClient _http;
    private readonly string _token;
    private readonly CoordinatorClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    /// <param name="http">A client whose <see cref="HttpClient.BaseAddress"/> is the coordinator; its own timeout is not used.</param>
    public CoordinatorClient(HttpClient http, string token, CoordinatorClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HTTP client needs the coordinator's base address.", nameof(http));
        }

        _http = http;
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _token = token;
        _options = options ?? new CoordinatorClientOptions();
        _time = time ?? TimeProvider.System;
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
                Delay = _options.RetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(_options.MaxRetries > 0 && IsTransient(args.Outcome, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .Build();
    }

    public async Task RegisterAsync(string siloId, string name, IReadOnlyDictionary<string, string> labels, IReadOnlyList<SlotDescription> slots, CancellationToken cancellationToken)
    {
        var body = new { id = siloId, name, labels, slots };
        using var response = await SendAsync(HttpMethod.Post, "api/silos/register", () => Json(body), TimeSpan.Zero, cancellationToken);
    }

    /// <summary>Asks for work for <paramref name="freeSlotIds"/>, waiting up to <paramref name="wait"/> on the coordinator when there is none.</summary>
    /// <param name="onlySweepId">Take only trials of this sweep; null for any.</param>
    public async Task<IReadOnlyList<AttemptAssignment>> ClaimAsync(string siloId, IReadOnlyList<string> freeSlotIds, TimeSpan wait, string? onlySweepId, CancellationToken cancellationToken)
    {
        object body = onlySweepId is null
            ? new { freeSlotIds, waitSeconds = wait.TotalSeconds }
            : new { freeSlotIds, waitSeconds = wait.TotalSeconds, sweepId = onlySweepId };
        using var response = await SendAsync(HttpMethod.Post, $"api/silos/{Escape(siloId)}/claim", () => Json(body), wait, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<ClaimAnswer>(SiloJson.Options, cancellationToken);
        return answer?.Attempts ?? [];
    }

    public async Task<IReadOnlyList<HeartbeatVerdict>> HeartbeatAsync(string siloId, IReadOnlyList<HeldAttemptReport> held, CancellationToken cancellationToken)
    {
        var body = new { held };
        using var response = await SendAsync(HttpMethod.Post, $"api/silos/{Escape(siloId)}/heartbeat", () => Json(body), TimeSpan.Zero, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<HeartbeatAnswer>(SiloJson.Options, cancellationToken);
        return answer?.Statuses ?? [];
    }

    /// <summary>Sends a batch of points; returns how many were new (a retried batch adds none).</summary>
    public async Task<int> ReportMetricsAsync(string siloId, string trialId, int attempt, IReadOnlyList<MetricPointReport> points, CancellationToken cancellationToken)
    {
        var body = new { points };
        using var response = await SendAsync(HttpMethod.Post, $"{AttemptPath(siloId, trialId, attempt)}/metrics", () => Json(body), TimeSpan.Zero, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<MetricsAnswer>(SiloJson.Options, cancellationToken);
        return answer?.Added ?? 0;
    }

    /// <summary>Uploads an artifact (a checkpoint becomes the trial's resume point); returns its id.</summary>
    public async Task<string> UploadArtifactAsync(string siloId, string trialId, int attempt, string kind, string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = $"{AttemptPath(siloId, trialId, attempt)}/artifacts?kind={Uri.EscapeDataString(kind)}&name={Uri.EscapeDataString(name)}";
        using var response = await SendAsync(HttpMethod.Put, path, () => new ReadOnlyMemoryContent(content), TimeSpan.Zero, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<ArtifactAnswer>(SiloJson.Options, cancellationToken);
        return answer?.Id ?? throw new CoordinatorRequestException("The coordinator answered an upload without an artifact id.");
    }

    public async Task<byte[]> DownloadArtifactAsync(string siloId, string artifactId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/silos/{Escape(siloId)}/artifacts/{Escape(artifactId)}", () => null, TimeSpan.Zero, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>Finishes the attempt successfully with the trainer's summary (a JSON object).</summary>
    public async Task CompleteAsync(string siloId, string trialId, int attempt, string summaryJson, CancellationToken cancellationToken)
    {
        using var summary = JsonDocument.Parse(summaryJson);
        var body = new { summary = summary.RootElement };
        using var response = await SendAsync(HttpMethod.Post, $"{AttemptPath(siloId, trialId, attempt)}/complete", () => Json(body), TimeSpan.Zero, cancellationToken);
    }

    public async Task FailAsync(string siloId, string trialId, int attempt, string error, CancellationToken cancellationToken)
    {
        var body = new { error };
        using var response = await SendAsync(HttpMethod.Post, $"{AttemptPath(siloId, trialId, attempt)}/fail", () => Json(body), TimeSpan.Zero, cancellationToken);
    }

    /// <summary>
    /// Fails the attempt because its training diverged: the coordinator fails the trial without a retry and words the
    /// reason from <paramref name="divergence"/> itself; <c>error</c> carries the same words for the log.
    /// </summary>
    public async Task FailDivergedAsync(string siloId, string trialId, int attempt, DivergenceReport divergence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(divergence);
        var body = new { error = divergence.Reason, diverged = new { step = divergence.Step, metric = divergence.Metric, value = divergence.Value } };
        using var response = await SendAsync(HttpMethod.Post, $"{AttemptPath(siloId, trialId, attempt)}/fail", () => Json(body), TimeSpan.Zero, cancellationToken);
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        // A try that ran out of time, not a caller that gave up.
        { Exception: OperationCanceledException } => !callerToken.IsCancellationRequested,
        { Result: { } response } => (int)response.StatusCode >= 500,
        _ => false,
    };

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Func<HttpContent?> content, TimeSpan extraTimeout, CancellationToken cancellationToken)
    {
        var response = await _retry.ExecuteAsync(async token =>
        {
            using var timeout = new CancellationTokenSource(_options.RequestTimeout + extraTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
            // A request message can be sent once: every try builds its own.
            using var request = new HttpRequestMessage(method, path) { Content = content() };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
        }, cancellationToken);

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new CoordinatorRequestException(response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {await ProblemDetailAsync(response, cancellationToken)}");
        }
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(text);
            return problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? text : text;
        }
        catch (JsonException)
        {
            return response.StatusCode == HttpStatusCode.Unauthorized ? "the silo token was not accepted" : text;
        }
    }

    private static JsonContent Json(object body) => JsonContent.Create(body, options: SiloJson.Options);

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string AttemptPath(string siloId, string trialId, int attempt) =>
        $"api/silos/{Escape(siloId)}/trials/{Escape(trialId)}/attempts/{attempt}";

    private sealed record ClaimAnswer(IReadOnlyList<AttemptAssignment> Attempts);

    private sealed record HeartbeatAnswer(IReadOnlyList<HeartbeatVerdict> Statuses);

    private sealed record MetricsAnswer(int Added);

    private sealed record ArtifactAnswer(string Id);
}
