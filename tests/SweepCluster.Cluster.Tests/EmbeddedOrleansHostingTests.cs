using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;
using Xunit.Abstractions;
using static SweepCluster.Cluster.Tests.TrialCalls;

namespace SweepCluster.Cluster.Tests;

/// <summary>The embedded mode's silo (<see cref="SweepClusterSiloBuilderExtensions.UseSweepClusterEmbedded"/>): real hosts on a SQLite file in a temporary state directory.</summary>
[Trait("Category", "Integration")]
public sealed class EmbeddedOrleansHostingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Trial_state_survives_a_restart_of_the_silo_on_the_same_file()
    {
        using var state = new TempDirectory();
        var trialId = $"trial-{Guid.NewGuid():N}";
        TrialView before;
        string siloA;
        await using (var silo = await StartAsync(state, "embedded, SQLite, new file"))
        {
            // Placed on this silo, as the scheduler would: the trial grain takes placements for its own silo only.
            siloA = silo.Address.ToParsableString();
            var grain = silo.Grains.GetGrain<ITrialGrain>(trialId);
            await AcceptAsync(grain.CreateAsync(new TrialDefinition { SweepId = "sweep-1", MaxAttempts = 3 }));
            await AcceptAsync(grain.PlaceAsync(new AttemptPlacement { SiloId = siloA, Attempt = 1, SlotIds = ["cpu0"] }));
            await AcceptAsync(grain.AttemptStartedAsync(1, siloA));
            await AcceptAsync(grain.ReportAsync(Report(1, siloA, 120, "ckpt-120")));
            before = await grain.GetAsync();
        }

        await using (var file = new SqliteConnection($"Data Source={state.File("grains.db")};Mode=ReadOnly;Pooling=false"))
        {
            await file.OpenAsync();
            await using var journal = file.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", await journal.ExecuteScalarAsync());
        }

        await using (var silo = await StartAsync(state, "embedded, SQLite, existing file"))
        {
            var grain = silo.Grains.GetGrain<ITrialGrain>(trialId);
            var after = await grain.GetAsync();

            Assert.True(after.RecordExists);
            Assert.Equal(before.ETag, after.ETag);
            Assert.Equal(
                (TrialPhase.Running, 1, "ckpt-120", 120L, siloA),
                (after.State.Phase, after.State.CurrentAttempt, after.State.CheckpointRef, after.State.LastStep, after.State.Attempt!.SiloId));
            // The restarted grain carries on from what it read: its next write is checked against the stored ETag.
            await AcceptAsync(grain.ReportAsync(Report(1, siloA, 240, "ckpt-240")));
            Assert.NotEqual(before.ETag, (await grain.GetAsync()).ETag);
        }
    }

    [Fact]
    public async Task Write_with_a_stale_etag_throws_and_stores_nothing()
    {
        using var state = new TempDirectory();
        await using var silo = await StartAsync(state, "embedded, SQLite");
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(SweepClusterStorageNames.Trials);
        var grainId = GrainId.Create("trial", $"trial-{Guid.NewGuid():N}");
        var writer = new GrainState<TrialGrainState>(new TrialGrainState { TrialId = "t", LastStep = 1 });
        await storage.WriteStateAsync(TrialGrain.StateName, grainId, writer);
        var stale = new GrainState<TrialGrainState>(writer.State) { ETag = writer.ETag, RecordExists = true };
        writer.State = writer.State! with { LastStep = 2 };
        await storage.WriteStateAsync(TrialGrain.StateName, grainId, writer);
        stale.State = stale.State! with { LastStep = 99 };

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(TrialGrain.StateName, grainId, stale));

        Assert.Equal((writer.ETag, stale.ETag), (error.StoredEtag, error.CurrentEtag));
        var stored = await ReadAsync(storage, grainId);
        Assert.Equal((writer.ETag, 2L), (stored.ETag, stored.State!.LastStep));
        // A first write (no ETag) over an existing record is just as stale.
        var blind = new GrainState<TrialGrainState>(new TrialGrainState { TrialId = "t", LastStep = 7 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(TrialGrain.StateName, grainId, blind));
        Assert.Equal(2L, (await ReadAsync(storage, grainId)).State!.LastStep);
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_are_all_stored_and_a_stale_one_among_them_is_refused_alone()
    {
        using var state = new TempDirectory();
        await using var silo = await StartAsync(state, "embedded, SQLite");
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(SweepClusterStorageNames.Trials);
        var ids = Enumerable.Range(0, 64).Select(i => GrainId.Create("trial", $"trial-{i}-{Guid.NewGuid():N}")).ToList();
        var writers = ids.Select(_ => new GrainState<TrialGrainState>(new TrialGrainState { TrialId = "t", LastStep = 1 })).ToList();
        // One writer: all 64 queue together, so most of them share commits.
        await Task.WhenAll(ids.Select((id, i) => storage.WriteStateAsync(TrialGrain.StateName, id, writers[i])));
        var stale = new GrainState<TrialGrainState>(writers[0].State) { ETag = writers[0].ETag, RecordExists = true };
        writers[0].State = writers[0].State! with { LastStep = 2 };
        await storage.WriteStateAsync(TrialGrain.StateName, ids[0], writers[0]);
        stale.State = stale.State! with { LastStep = 99 };

        var second = ids.Select((id, i) =>
        {
            if (i == 0)
            {
                return storage.WriteStateAsync(TrialGrain.StateName, id, stale);
            }

            writers[i].State = writers[i].State! with { LastStep = 2 };
            return storage.WriteStateAsync(TrialGrain.StateName, id, writers[i]);
        }).ToList();

        await Assert.ThrowsAsync<InconsistentStateException>(() => second[0]);
        await Task.WhenAll(second.Skip(1));
        var stored = await Task.WhenAll(ids.Select(id => ReadAsync(storage, id)));
        Assert.All(stored, s => Assert.Equal((true, 2L), (s.RecordExists, s.State!.LastStep)));
        Assert.Equal(writers.Select(w => w.ETag), stored.Select(s => s.ETag));
    }

    [Fact]
    public async Task Cleared_state_keeps_its_version_so_a_writer_from_before_the_clear_is_refused()
    {
        using var state = new TempDirectory();
        await using var silo = await StartAsync(state, "embedded, SQLite");
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(SweepClusterStorageNames.Sweeps);
        var grainId = GrainId.Create("sweep", $"sweep-{Guid.NewGuid():N}");
        var first = new GrainState<TrialGrainState>(new TrialGrainState { TrialId = "t", LastStep = 1 });
        await storage.WriteStateAsync("sweep", grainId, first);
        var stale = new GrainState<TrialGrainState>(first.State) { ETag = first.ETag, RecordExists = true };

        await storage.ClearStateAsync("sweep", grainId, first);

        var cleared = await ReadAsync(storage, grainId, "sweep");
        Assert.False(cleared.RecordExists);
        Assert.Equal(0L, cleared.State!.LastStep);
        Assert.Equal(first.ETag, cleared.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("sweep", grainId, stale));
        // The clearer itself writes on from the version the clear left.
        first.State = first.State! with { LastStep = 3 };
        await storage.WriteStateAsync("sweep", grainId, first);
        Assert.Equal(3L, (await ReadAsync(storage, grainId, "sweep")).State!.LastStep);
    }

    [Fact]
    public async Task A_second_silo_on_the_same_state_directory_fails_to_start()
    {
        using var state = new TempDirectory();
        await using var first = await StartAsync(state, "embedded, SQLite");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(state, "embedded, SQLite, second on the same directory"));

        Assert.Contains("in use by another process", Flatten(error), StringComparison.Ordinal);
        // The first silo is unaffected.
        var grain = first.Grains.GetGrain<ITrialGrain>($"trial-{Guid.NewGuid():N}");
        await AcceptAsync(grain.CreateAsync(new TrialDefinition { SweepId = "sweep-1", MaxAttempts = 1 }));
    }

    [Fact]
    public async Task Two_embedded_silos_on_one_machine_take_different_ports()
    {
        using var stateA = new TempDirectory();
        using var stateB = new TempDirectory();

        var started = await Task.WhenAll(StartAsync(stateA, "embedded, SQLite, side by side A"), StartAsync(stateB, "embedded, SQLite, side by side B"));
        await using var a = started[0];
        await using var b = started[1];

        Assert.NotEqual(a.Address.Endpoint.Port, b.Address.Endpoint.Port);
        foreach (var silo in started)
        {
            var grain = silo.Grains.GetGrain<ITrialGrain>("trial-side-by-side");
            await AcceptAsync(grain.CreateAsync(new TrialDefinition { SweepId = "sweep-1", MaxAttempts = 1 }));
        }
    }

    [Fact]
    public async Task Silo_runs_with_the_membership_settings_of_SweepClusterMembership()
    {
        using var state = new TempDirectory();
        await using var silo = await StartAsync(state, "embedded, SQLite");

        var membership = silo.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        var expected = new ClusterMembershipOptions();
        SweepClusterMembership.Configure(expected);
        Assert.Equal(
            (expected.ProbeTimeout, expected.NumMissedProbesLimit, expected.NumVotesForDeathDeclaration, expected.TableRefreshTimeout, expected.IAmAliveTablePublishTimeout),
            (membership.ProbeTimeout, membership.NumMissedProbesLimit, membership.NumVotesForDeathDeclaration, membership.TableRefreshTimeout, membership.IAmAliveTablePublishTimeout));
        Assert.Equal((TimeSpan.FromSeconds(1), 2, 1), (membership.ProbeTimeout, membership.NumMissedProbesLimit, membership.NumVotesForDeathDeclaration));
        Assert.Equal(SweepClusterMembership.ResponseTimeout, silo.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout);
    }

    private Task<SiloHost> StartAsync(TempDirectory state, string label) =>
        SiloHost.StartAsync(silo => silo.UseSweepClusterEmbedded(new EmbeddedOrleansOptions { StateDirectory = state.Path }), output, label);

    private static async Task<GrainState<TrialGrainState>> ReadAsync(IGrainStorage storage, GrainId grainId, string stateName = TrialGrain.StateName)
    {
        var read = new GrainState<TrialGrainState>();
        await storage.ReadStateAsync(stateName, grainId, read);
        return read;
    }

    private static string Flatten(Exception error) =>
        string.Join(" | ", Enumerate(error).Select(e => e.Message));

    private static IEnumerable<Exception> Enumerate(Exception error)
    {
        yield return error;
        if (error is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions.SelectMany(Enumerate))
            {
                yield return inner;
            }
        }
        else if (error.InnerException is { } innerException)
        {
            foreach (var inner in Enumerate(innerException))
            {
                yield return inner;
            }
        }
    }
}
