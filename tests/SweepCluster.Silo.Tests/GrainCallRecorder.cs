using System.Collections.Concurrent;
using SweepCluster.Cluster.Grains;

namespace SweepCluster.Silo.Tests;

/// <summary>
/// Records every call a trial grain receives (method, trial, attempt) before it runs, so a test can say what a runner
/// reported, including reports the grain refused and that changed nothing.
/// </summary>
internal sealed class GrainCallRecorder : IIncomingGrainCallFilter
{
    private readonly ConcurrentQueue<TrialGrainCall> _calls = new();
    private Func<TrialGrainCall, bool>? _failOnce;

    /// <summary>
    /// The first call that <paramref name="matches"/> fails, as a call to a grain whose silo or store is unreachable does,
    /// without reaching the grain (it is recorded, with <see cref="TrialGrainCall.Failed"/> set).
    /// </summary>
    public void FailOnce(Func<TrialGrainCall, bool> matches) => _failOnce = matches;

    public IReadOnlyList<TrialGrainCall> Calls => [.. _calls];

    /// <summary>The calls about one attempt of one trial, in arrival order.</summary>
    public IReadOnlyList<TrialGrainCall> For(string trialId, int attempt) =>
        [.. _calls.Where(c => c.TrialId == trialId && c.Attempt == attempt)];

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(ITrialGrain))
        {
            var request = context.Request;
            var arguments = Enumerable.Range(0, request.GetArgumentCount()).Select(request.GetArgument).ToArray();
            var attempt = arguments.FirstOrDefault() switch
            {
                int number => number,
                AttemptEnd end => end.Attempt,
                AttemptArtifact artifact => artifact.Attempt,
                AttemptPlacement placement => placement.Attempt,
                _ => (int?)null,
            };
            var points = context.MethodName == nameof(ITrialGrain.ReportMetricsAsync) && arguments[2] is System.Collections.Immutable.ImmutableArray<MetricRecord> batch
                ? batch.Length
                : 0;
            var call = new TrialGrainCall(context.TargetId.Key.ToString()!, context.MethodName, attempt, points, arguments);
            if (_failOnce is { } matches && matches(call) && Interlocked.CompareExchange(ref _failOnce, null, matches) == matches)
            {
                _calls.Enqueue(call with { Failed = true });
                throw new TimeoutException($"{call.Method} of trial {call.TrialId} failed on purpose (the test's injected fault)");
            }

            _calls.Enqueue(call);
        }

        await context.Invoke();
    }
}

/// <param name="Points">For <see cref="ITrialGrain.ReportMetricsAsync"/>, how many metric points the call carried.</param>
/// <param name="Failed">The call was failed on purpose (<see cref="GrainCallRecorder.FailOnce"/>) and never reached the grain.</param>
internal sealed record TrialGrainCall(string TrialId, string Method, int? Attempt, int Points, object?[] Arguments, bool Failed = false)
{
    /// <summary>For <see cref="ITrialGrain.ReportMetricsAsync"/>, the steps of the points the call carried.</summary>
    public IEnumerable<long> Steps => Method == nameof(ITrialGrain.ReportMetricsAsync) && Arguments[2] is System.Collections.Immutable.ImmutableArray<MetricRecord> batch
        ? batch.Select(p => p.Step)
        : [];
}
