using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A silo cut off from the coordinator (its network namespace's link down) for longer than the
/// lease TTL: its trial is re-run by a silo outside, and once the link is back its late reports for
/// the old attempt are refused (409, fencing token) and change nothing.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NetworkPartitionTests(ITestOutputHelper output)
{
    private const int LeaseTtlSeconds = 4;
    private const double LateReportValue = 12345.678;

    [Fact]
    public async Task A_partitioned_silos_trial_is_rerun_outside_and_its_late_reports_are_refused()
    {
        using var network = NetworkNamespace.Create();
        await using var cluster = FaultCluster.Create("partition");
        var hostSideUrl = $"http://{network.HostAddress}:{cluster.Port}";
        await cluster.StartCoordinatorAsync($"sqlite:{Path.Combine(cluster.Directory, "store.db")}", LeaseTtlSeconds, listen: $"{cluster.Url};{hostSideUrl}");
        var inside = cluster.StartSilo("inside", cpuSlots: 1, heartbeatSeconds: 1, coordinatorUrl: hostSideUrl, wrapper: network.ExecPrefix);
        var sweepId = await cluster.SubmitAsync(await cluster.WriteSweepAsync("partition", rows: 2));

        // Cut as soon as the inside silo holds a trial, so the trial is still training when the link goes.
        var victim = await cluster.WaitUntilAsync(
            async () => (await cluster.GetTrialsAsync(sweepId)).FirstOrDefault(t => t.AttemptSiloId == "inside" && t.State is "leased" or "running"),
            TimeSpan.FromMinutes(1), "the inside silo to hold a trial");
        var oldAttempt = victim.AttemptNumber!.Value;
        network.SetLink(up: false);
        var downAt = cluster.Elapsed;
        output.WriteLine($"{downAt.TotalSeconds:0.0} s: link {network.HostInterface} down while the inside silo holds {victim}");
        cluster.StartSilo("outside", cpuSlots: 2, heartbeatSeconds: 1);

        var rerun = await cluster.WaitUntilAsync(
            async () => (await cluster.GetTrialsAsync(sweepId)).SingleOrDefault(t => t.Id == victim.Id && t.CurrentAttempt > oldAttempt && t.AttemptSiloId == "outside"),
            TimeSpan.FromSeconds(90), $"trial {victim.Id} to be re-run by the outside silo");
        var downFor = cluster.Elapsed - downAt;
        output.WriteLine($"{cluster.Elapsed.TotalSeconds:0.0} s: re-run outside after {downFor.TotalSeconds:0.0} s of partition: {rerun}");
        Assert.True(downFor > TimeSpan.FromSeconds(LeaseTtlSeconds), $"The trial moved after {downFor.TotalSeconds:0.0} s, before its lease of {LeaseTtlSeconds} s could run out.");
        var healedLog = inside.ReadLog().Length;
        network.SetLink(up: true);
        output.WriteLine($"{cluster.Elapsed.TotalSeconds:0.0} s: link up");

        // A late report of the old attempt, as the inside silo would send it: refused, and nothing stored.
        var before = await cluster.GetMetricsAsync(victim.Id);
        var late = new { points = new[] { new { step = 1L, name = "loss.total", value = LateReportValue, epoch = 1, kind = "step" } } };
        using (var answer = await cluster.Silo.PostAsJsonAsync(new Uri($"/api/silos/inside/trials/{victim.Id}/attempts/{oldAttempt}/metrics", UriKind.Relative), late))
        {
            Assert.True(answer.StatusCode == HttpStatusCode.Conflict, $"A report of lost attempt {oldAttempt} got {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }

        var afterReplay = await cluster.GetMetricsAsync(victim.Id);
        Assert.Equal(before.Count(p => p.Attempt == oldAttempt), afterReplay.Count(p => p.Attempt == oldAttempt));
        Assert.DoesNotContain(afterReplay, p => p.Value == LateReportValue);

        // The inside silo itself learns, once it reaches the coordinator again, that the attempt is not its own.
        await cluster.WaitUntilAsync(
            () =>
            {
                var text = inside.ReadLog()[healedLog..];
                var told = text.Contains($"trial {victim.Id} attempt {oldAttempt}: release", StringComparison.Ordinal)
                    || text.Contains($"trial {victim.Id} attempt {oldAttempt}: the coordinator no longer counts this attempt as ours", StringComparison.Ordinal);
                return Task.FromResult(told ? text : null);
            },
            TimeSpan.FromSeconds(90), $"the inside silo to be told attempt {oldAttempt} is no longer its own");
        output.WriteLine($"{cluster.Elapsed.TotalSeconds:0.0} s: the inside silo was refused on attempt {oldAttempt}");

        var trials = await cluster.WaitForSweepToFinishAsync(sweepId, TimeSpan.FromMinutes(3));
        Assert.True(trials.All(t => t.HasSucceeded), $"Not every trial succeeded: {string.Join("; ", trials)}\n{cluster.Diagnostics()}");
        var attempts = await cluster.GetAttemptsAsync(victim.Id);
        Assert.Contains(attempts, a => a.Number == oldAttempt && a.State == "lost" && a.SiloId == "inside");
        var final = trials.Single(t => t.Id == victim.Id);
        Assert.Equal(("succeeded", "outside"), attempts.Where(a => a.Number == final.CurrentAttempt).Select(a => (a.State, a.SiloId)).Single());

        // No point of the old attempt was stored after it was declared lost.
        var lostAt = (await cluster.GetEventsAsync(sweepId)).Single(e => e.Kind == "attempt.lost" && e.TrialId == victim.Id && e.Attempt == oldAttempt).At;
        var points = await cluster.GetMetricsAsync(victim.Id);
        Assert.DoesNotContain(points, p => p.Attempt == oldAttempt && p.RecordedAt > lostAt);

        // Latest-attempt rule: every (step, name) once, the same set as the trial that never moved.
        Assert.Empty(LatestAttemptMetrics.Duplicates(points));
        var latest = LatestAttemptMetrics.Resolve(points);
        var sibling = LatestAttemptMetrics.Resolve(await cluster.GetMetricsAsync(trials.Single(t => t.Id != victim.Id).Id));
        Assert.Equal(Enumerable.Range(1, FaultSweep.Epochs * FaultSweep.StepsPerEpoch).Select(s => (long)s), latest.Keys.Select(k => k.Step).Distinct().Order());
        Assert.True(latest.Keys.ToHashSet().SetEquals(sibling.Keys), "The re-run trial's (step, name) points differ from its sibling's.");
        output.WriteLine($"{latest.Count} (step, name) points, each once; total {cluster.Elapsed.TotalSeconds:0.0} s");
    }
}
