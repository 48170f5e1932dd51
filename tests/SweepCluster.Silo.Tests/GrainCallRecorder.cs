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
            _calls.Enqueue(new TrialGrainCall(context.TargetId.Key.ToString()!, context.MethodName, attempt, points, arguments));
        }

        await context.Invoke();
    }
}

/// <param name="Points">For <see cref="ITrialGrain.ReportMetricsAsync"/>, how many metric points the call carried.</param>
internal sealed record TrialGrainCall(string TrialId, string Method, int? Attempt, int Points, object?[] Arguments);
