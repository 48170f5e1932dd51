using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// Sits between every simulated silo and the coordinator: counts errors (any 4xx/5xx answer or
/// transport failure), times each claim that came back with work, and counts completions. Only
/// what happens while <see cref="IsRecording"/> is set counts toward latencies and rates; errors
/// count always, except requests cut short by the benchmark's own stop.
/// </summary>
public sealed class SiloTrafficRecorder : DelegatingHandler
{
    private const int KeptErrorMessages = 10;

    private readonly ConcurrentQueue<double> _claimMilliseconds = new();
    private readonly ConcurrentQueue<string> _errorMessages = new();
    private readonly CancellationToken _stopping;
    private bool _recording;
    private int _errors;
    private int _completions;
    private int _recordedCompletions;
    private int _completionTarget = int.MaxValue;
    private TaskCompletionSource _targetReached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="stopping">Cancelled when the benchmark stops its silos; requests it cuts short are not errors.</param>
    public SiloTrafficRecorder(CancellationToken stopping)
        : base(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = int.MaxValue })
    {
        _stopping = stopping;
    }

    /// <summary>Whether claims and completions now count toward the figures.</summary>
    public bool IsRecording
    {
        get => Volatile.Read(ref _recording);
        set => Volatile.Write(ref _recording, value);
    }

    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Successful completion reports, all of them.</summary>
    public int Completions => Volatile.Read(ref _completions);

    /// <summary>Successful completion reports while recording.</summary>
    public int RecordedCompletions => Volatile.Read(ref _recordedCompletions);

    /// <summary>The first few error messages, for the report.</summary>
    public IReadOnlyList<string> ErrorMessages => [.. _errorMessages];

    /// <summary>Client-side durations (ms) of claim requests that returned at least one attempt, while recording.</summary>
    public IReadOnlyList<double> ClaimMilliseconds => [.. _claimMilliseconds];

    /// <summary>Completes once <paramref name="completions"/> completion reports (in all) succeeded.</summary>
    public Task WaitForCompletionsAsync(int completions, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _completionTarget, completions);
        if (Completions >= completions)
        {
            _targetReached.TrySetResult();
        }

        return _targetReached.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Counts an error seen elsewhere (a silo log line that reports a failure).</summary>
    public void AddError(string message)
    {
        Interlocked.Increment(ref _errors);
        if (_errorMessages.Count < KeptErrorMessages)
        {
            _errorMessages.Enqueue(message);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !_stopping.IsCancellationRequested))
        {
            AddError($"{request.Method} {path}: {exception.GetType().Name}: {exception.Message}");
            throw;
        }

        if (!response.IsSuccessStatusCode)
        {
            AddError($"{request.Method} {path}: {(int)response.StatusCode}");
            return response;
        }

        if (path.EndsWith("/claim", StringComparison.Ordinal))
        {
            // Buffered here, read again by the client: the body is small.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (IsRecording && await CountAttemptsAsync(response, cancellationToken) > 0)
            {
                _claimMilliseconds.Enqueue(elapsed);
            }
        }
        else if (path.EndsWith("/complete", StringComparison.Ordinal))
        {
            if (IsRecording)
            {
                Interlocked.Increment(ref _recordedCompletions);
            }

            if (Interlocked.Increment(ref _completions) >= Volatile.Read(ref _completionTarget))
            {
                _targetReached.TrySetResult();
            }
        }

        return response;
    }

    private static async Task<int> CountAttemptsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Bytes, not the stream: disposing the buffered stream would leave the client nothing to read.
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        return document.RootElement.TryGetProperty("attempts", out var attempts) && attempts.ValueKind == JsonValueKind.Array
            ? attempts.GetArrayLength()
            : 0;
    }
}
