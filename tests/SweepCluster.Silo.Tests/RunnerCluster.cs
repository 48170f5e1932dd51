using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Silos;
using SweepCluster.Cluster.Store;
using SweepCluster.Silo.Wire;
using Xunit.Abstractions;

namespace SweepCluster.Silo.Tests;

/// <summary>
/// A one-silo in-process Orleans cluster that is a trainer silo, as the product builds one: the grains of every silo
/// (<see cref="SweepClusterGrainServices.AddSweepClusterGrains"/>) over a real SQLite store in a temporary directory,
/// trial grain state in memory storage, the silo's slots published in its metadata (so the scheduler sees them through
/// membership) and the runner (<see cref="SweepClusterRunner.AddSweepClusterRunner"/>) starting test scripts as the
/// trial children. Every call a trial grain receives is recorded.
/// </summary>
internal sealed class RunnerCluster : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly Stopwatch _clock;
    private readonly ITestOutputHelper _output;

    private RunnerCluster(TempDirectory directory, SqlTrialStore store, InProcessTestCluster cluster, ScriptLauncher launcher, GrainCallRecorder calls, SiloOptions options,
        Stopwatch clock, ITestOutputHelper output, ConcurrentQueue<string> log)
    {
        Log = log;
        _directory = directory;
        _clock = clock;
        _output = output;
        Store = store;
        Cluster = cluster;
        Launcher = launcher;
        Calls = calls;
        Options = options;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public SqlTrialStore Store { get; }

    public ScriptLauncher Launcher { get; }

    public GrainCallRecorder Calls { get; }

    public SiloOptions Options { get; }

    /// <summary>The silo's log lines (<see cref="SiloOptions.Log"/>), in order.</summary>
    public ConcurrentQueue<string> Log { get; }

    public IServiceProvider SiloServices => Cluster.Silos[0].ServiceProvider;

    public SlotRunner Runner => SiloServices.GetRequiredService<SlotRunner>();

    /// <summary>The silo as placements name it: its Orleans address.</summary>
    public string SiloId => Cluster.Silos[0].SiloAddress.ToParsableString();

    /// <param name="stopGrace">How long a stopped attempt's child has after SIGTERM before it is killed (the product's default when null).</param>
    public static async Task<RunnerCluster> StartAsync(ITestOutputHelper output, ScriptLauncher launcher, int slots = 1, TimeSpan? stopGrace = null)
    {
        var directory = new TempDirectory("sweepcluster-runner-");
        var store = await SqlTrialStore.OpenSqliteAsync(directory.File("store.db"), TimeProvider.System, CancellationToken.None);
        var calls = new GrainCallRecorder();
        var clock = Stopwatch.StartNew();
        var log = new ConcurrentQueue<string>();
        var options = new SiloOptions
        {
            SiloId = "runner-test",
            Slots = SlotDescription.CpuSlots(slots),
            WorkDirectory = directory.File("attempts"),
            ThreadsPerCpuSlot = 1,
            MetricBatchSize = 2,
            MetricFlushInterval = TimeSpan.FromMilliseconds(100),
            Log = line =>
            {
                log.Enqueue(line);
                Write(output, $"{clock.Elapsed.TotalSeconds,7:F3} s {line}");
            },
        };
        if (stopGrace is { } grace)
        {
            options = options with { StopGrace = grace };
        }

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            // With the product's serializer: the memory storage's default JSON one cannot read back the state's immutable collections.
            silo.AddMemoryGrainStorage(TrialGrain.StorageName, storage => storage.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
            silo.Services.AddSweepClusterGrains(_ => store);
            silo.UseSiloMetadata(SiloSlotsMetadata.ToMetadata(SweepClusterRunner.Describe(options)));
            silo.AddSweepClusterRunner(options, launcher);
            silo.AddIncomingGrainCallFilter(calls);
        });
        builder.ConfigureSiloHost((_, host) => host.Logging.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Warning));
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            Write(output, $"{clock.Elapsed.TotalSeconds,7:F3} s the silo is up");
        }
        catch
        {
            await cluster.DisposeAsync();
            await store.DisposeAsync();
            directory.Dispose();
            throw;
        }

        return new RunnerCluster(directory, store, cluster, launcher, calls, options, clock, output, log);
    }

    /// <summary>A CPU trial of sweep <paramref name="sweepId"/> (its id is <c>sweepId-tN</c>) with a configuration naming it.</summary>
    public static NewTrial Trial(string sweepId, int index, int maxAttempts = 3, ResourceRequest? resources = null) =>
        new($"{sweepId}-t{index}", $"config-{index}", $"key-{index}", 1000 + index, $$"""{"index":{{index}}}""", "runs", null,
            $$$"""{"name":"config-{{{index}}}","training":{"epochs":2}}""", resources ?? ResourceRequest.Cpu, maxAttempts, 0, index);

    /// <summary>Submits the sweep through its sweep grain, as the coordinator does.</summary>
    public async Task SubmitAsync(string sweepId, params NewTrial[] trials)
    {
        var sweep = new NewSweep(sweepId, "sweep " + sweepId, "runner test", "does it run?", "psnr_cross", ObjectiveGoal.Maximize, "name: test", DateTimeOffset.UtcNow);
        var reply = await Client.GetGrain<ISweepGrain>(sweepId).SubmitAsync(sweep, [.. trials]);
        Assert.True(reply.Accepted, reply.Message);
    }

    public async Task CancelAsync(string sweepId)
    {
        var reply = await Client.GetGrain<ISweepGrain>(sweepId).CancelAsync();
        Assert.True(reply.Accepted, reply.Message);
    }

    /// <summary>The trial grain's stored state and ETag (the authority).</summary>
    public Task<TrialView> GrainAsync(string trialId) => Client.GetGrain<ITrialGrain>(trialId).GetAsync();

    /// <summary>The trial's row (what the HTTP API and the report read).</summary>
    public async Task<TrialRecord> RowAsync(string trialId) =>
        await Store.GetTrialAsync(trialId, CancellationToken.None) ?? throw new InvalidOperationException($"no row for trial {trialId}");

    /// <summary>Polls the trial's row until <paramref name="condition"/> holds (bounded).</summary>
    public async Task<TrialRecord> WaitForRowAsync(string trialId, Func<TrialRecord, bool> condition, string what, TimeSpan? timeout = null)
    {
        TrialRecord? row = null;
        await Eventually.HoldsAsync(async () => condition(row = await RowAsync(trialId)), what, timeout);
        return row!;
    }

    public async ValueTask DisposeAsync()
    {
        Write(_output, $"{_clock.Elapsed.TotalSeconds,7:F3} s stopping the silo");
        try
        {
            await Cluster.DisposeAsync();
        }
        finally
        {
            Write(_output, $"{_clock.Elapsed.TotalSeconds,7:F3} s the silo stopped");
            await Store.DisposeAsync();
            _directory.Dispose();
        }
    }

    private static void Write(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test is over; a runner still stopping logs into the void.
        }
    }
}
