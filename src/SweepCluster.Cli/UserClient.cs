using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SweepCluster.Coordinator.Contracts;

namespace SweepCluster.Cli;

/// <summary>The user side of the coordinator's HTTP API (submit, status, cancel, report data).</summary>
internal sealed class UserClient : IDisposable
{
    private readonly HttpClient _http;

    public UserClient(Uri coordinator, string token)
    {
        _http = new HttpClient { BaseAddress = coordinator, Timeout = TimeSpan.FromSeconds(100) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<SubmitSweepResponse> SubmitAsync(SubmitSweepRequest request, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/sweeps", request, CoordinatorJson.Options, cancellationToken);
        return await ReadAsync<SubmitSweepResponse>(response, cancellationToken);
    }

    public async Task<IReadOnlyList<SweepSummaryDto>> ListSweepsAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("api/sweeps", cancellationToken);
        return await ReadAsync<List<SweepSummaryDto>>(response, cancellationToken);
    }

    public async Task<SweepDetailDto> GetSweepAsync(string sweepId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/sweeps/{Uri.EscapeDataString(sweepId)}", cancellationToken);
        return await ReadAsync<SweepDetailDto>(response, cancellationToken);
    }

    public async Task<CancelSweepResponse> CancelAsync(string sweepId, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"api/sweeps/{Uri.EscapeDataString(sweepId)}/cancel", null, cancellationToken);
        return await ReadAsync<CancelSweepResponse>(response, cancellationToken);
    }

    public async Task<IReadOnlyList<MetricRecordDto>> GetMetricsAsync(string trialId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/trials/{Uri.EscapeDataString(trialId)}/metrics", cancellationToken);
        return await ReadAsync<List<MetricRecordDto>>(response, cancellationToken);
    }

    public async Task<IReadOnlyList<ArtifactDto>> GetArtifactsAsync(string trialId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/trials/{Uri.EscapeDataString(trialId)}/artifacts", cancellationToken);
        return await ReadAsync<List<ArtifactDto>>(response, cancellationToken);
    }

    public async Task<byte[]> GetArtifactBytesAsync(string trialId, string artifactId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/trials/{Uri.EscapeDataString(trialId)}/artifacts/{Uri.EscapeDataString(artifactId)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<EventDto>> GetEventsAsync(string? sweepId, string? trialId, long? afterId, int limit, CancellationToken cancellationToken)
    {
        var query = new List<string> { $"limit={limit}" };
        if (sweepId is not null)
        {
            query.Add($"sweepId={Uri.EscapeDataString(sweepId)}");
        }

        if (trialId is not null)
        {
            query.Add($"trialId={Uri.EscapeDataString(trialId)}");
        }

        if (afterId is not null)
        {
            query.Add($"afterId={afterId}");
        }

        using var response = await _http.GetAsync("api/events?" + string.Join('&', query), cancellationToken);
        return await ReadAsync<List<EventDto>>(response, cancellationToken);
    }

    /// <summary>The sweep's test matrix as md, csv, json or html.</summary>
    public async Task<string> GetReportAsync(string sweepId, string format, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/sweeps/{Uri.EscapeDataString(sweepId)}/report/{format}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(CoordinatorJson.Options, cancellationToken)
            ?? throw new InvalidOperationException("the coordinator answered with an empty body");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var detail = body;
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            detail = root.TryGetProperty("detail", out var d) ? d.GetString() ?? body : root.TryGetProperty("title", out var t) ? t.GetString() ?? body : body;
            if (root.TryGetProperty("errors", out var errors))
            {
                detail += " " + errors.GetRawText();
            }
        }
        catch (JsonException)
        {
            // Not a ProblemDetails body: show it as it is.
        }

        throw new CoordinatorException(response.StatusCode, $"coordinator answered {(int)response.StatusCode} {response.StatusCode}: {detail}");
    }
}
