using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Silos;
using SweepCluster.Cluster.Store;
using SweepCluster.Silo.Wire;
using Xunit.Abstractions;

namespace SweepCluster.Silo.Tests;

/// <summary>
/// A trainer silo built by <see cref="TrainerSiloHost"/> with OTLP export to a receiver on loopback: the attempt's span
/// and Orleans' spans of the grain calls that placed it are one trace.
/// </summary>
[Trait("Category", "Integration")]
[Collection(nameof(AttemptTracingTests))]
public sealed class AttemptTracingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_attempt_span_and_the_orleans_spans_of_its_placement_share_one_trace()
    {
        using var receiver = new OtlpReceiver();
        using var directory = new TempDirectory("sweepcluster-tracing-");
        await using var store = await SqlTrialStore.OpenSqliteAsync(directory.File("store.db"), TimeProvider.System, CancellationToken.None);
        var runner = new SiloOptions
        {
            SiloId = "tracing-silo",
            Slots = SlotDescription.CpuSlots(1),
            WorkDirectory = directory.File("attempts"),
            ThreadsPerCpuSlot = 1,
            Log = line => Write(line),
        };
        using var host = TrainerSiloHost.Build(new TrainerSiloHostOptions
        {
            TelemetryEnvironment = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint },
            ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error),
            ConfigureSilo = silo =>
            {
                silo.Services.AddSweepClusterGrains(_ => store);
                silo.UseLocalhostClustering(SweepClusterSiloBuilderExtensions.FreeLoopbackPort(), SweepClusterSiloBuilderExtensions.FreeLoopbackPort())
                    .UseSiloMetadata(SiloSlotsMetadata.ToMetadata(SweepClusterRunner.Describe(runner)))
                    .AddSweepClusterMemoryStorage()
                    .AddSweepClusterRunner(runner, new ScriptLauncher(_ => ScriptLauncher.Succeeding(points: 2)));
            },
        });
        await host.StartAsync();
        try
        {
            var sweepId = "tracing-" + Guid.NewGuid().ToString("N")[..8];
            var trial = RunnerCluster.Trial(sweepId, 0);
            var sweep = new NewSweep(sweepId, "sweep " + sweepId, "tracing test", "one trace?", "psnr_cross", ObjectiveGoal.Maximize, "name: test", DateTimeOffset.UtcNow);
            var reply = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepGrain>(sweepId).SubmitAsync(sweep, [trial]);
            Assert.True(reply.Accepted, reply.Message);
            await Eventually.HoldsAsync(
                async () => (await store.GetTrialAsync(trial.Id, CancellationToken.None))?.Snapshot.IsFinal == true, $"trial {trial.Id} finished", TimeSpan.FromSeconds(60));
            // The attempt's span ends when its runner is done, just after the grain recorded the end: flush until it is out.
            var tracer = host.Services.GetRequiredService<TracerProvider>();
            await Eventually.HoldsAsync(
                () => Task.FromResult(tracer.ForceFlush(5_000) && receiver.Spans().Any(s => s.Name == "sweepcluster.attempt")), "the attempt's span exported", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await host.StopAsync();
        }

        var spans = receiver.Spans();
        foreach (var span in spans.Where(s => s.Scope == "SweepCluster" || s.Name.Contains("Trial", StringComparison.Ordinal) || s.Name.Contains("Sweep", StringComparison.Ordinal)))
        {
            Write($"{span.TraceId} {span.SpanId} <- {span.ParentSpanId} [{span.Scope}] {span.Name}");
        }

        // One span per attempt: on a loaded machine the trial may need a second attempt, and each must hold.
        var attempts = spans.Where(s => s.Scope == "SweepCluster" && s.Name == "sweepcluster.attempt").ToList();
        Assert.NotEmpty(attempts);
        foreach (var attempt in attempts)
        {
            var sameTrace = spans.Where(s => s.TraceId == attempt.TraceId && s.Scope.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(sameTrace);
            // The attempt's parent is the trial grain's placement call, which started it on this silo.
            var parent = Assert.Single(spans, s => s.SpanId == attempt.ParentSpanId);
            Assert.Equal(("Microsoft.Orleans.Application", "ITrialGrain/PlaceAsync"), (parent.Scope, parent.Name));
        }

        // The attempt that ended the trial reported its end to its grain as a child of its own span.
        Assert.Contains(attempts, attempt => spans.Any(s => s.ParentSpanId == attempt.SpanId && s.Name == "ITrialGrain/AttemptEndedAsync"));
    }

    private void Write(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test is over.
        }
    }
}

/// <summary>
/// Runs <see cref="AttemptTracingTests"/> with nothing else in parallel: a tracer listens to its sources process-wide, so
/// another test's runner would add its own attempt spans (in traces of their own) to what the receiver gets.
/// </summary>
[CollectionDefinition(nameof(AttemptTracingTests), DisableParallelization = true)]
public sealed class AttemptTracingTestsCollection
{
}
