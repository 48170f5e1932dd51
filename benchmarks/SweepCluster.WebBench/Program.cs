using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator;

// The web page's cost with a large finished sweep: the first load of a sweep's page, one update (a poll after one
// trial changed), and the bytes each sends, against the full re-read an update avoids (every trial and the matrix, as
// /api/sweeps/{id} and the JSON report answer them) and the static report's render. Medians over rounds, on loopback.
var trials = Option("--trials", 1000);
var rounds = Option("--rounds", 20);
if (args.Contains("--help"))
{
    Console.WriteLine("usage: ./build.sh bench web [--trials N (1000)] [--rounds N (20)]");
    return 0;
}

const string Token = "web-bench-user-token-0123456789abcdef";
const string SweepId = "web-bench";
var directory = Directory.CreateTempSubdirectory("sweepcluster-webbench-");
try
{
    await using var store = await SqlTrialStore.OpenSqliteAsync(Path.Combine(directory.FullName, "store.db"), TimeProvider.System, CancellationToken.None);
    var app = CoordinatorHost.Build(new CoordinatorHostOptions
    {
        Store = store,
        Urls = "http://127.0.0.1:0",
        UserToken = Token,
        ConfigureSilo = silo => CoordinatorHost.UseInMemorySilo(silo),
        ConfigureLogging = logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            // Orleans retries placement while its silo starts (through Polly) and says so; the figures are the output.
            logging.AddFilter("Polly", LogLevel.Error);
            logging.AddFilter("Orleans", LogLevel.Error);
        },
    });
    await app.StartAsync();
    try
    {
        using var http = new HttpClient { BaseAddress = CoordinatorHost.GetListenAddress(app), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        var seeding = Stopwatch.StartNew();
        await SeedAsync(http, store, trials);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store: {trials} finished no-op trials ({trials / 10} configurations x 10 seeds, 10 epochs and 5 evaluations each) and 1 running, seeded in {seeding.Elapsed.TotalSeconds:F1} s"));

        var view = $"/api/web/sweeps/{SweepId}/view";
        var cold = await GetAsync(http, view);
        var firstLoads = new List<Sample>();
        var updates = new List<Sample>();
        var finishing = new List<Sample>();
        var fullReads = new List<Sample>();
        var reports = new List<Sample>();
        for (var round = 0; round < rounds; round++)
        {
            var first = await GetAsync(http, view);
            firstLoads.Add(first);
            var cursor = JsonDocument.Parse(first.Body).RootElement.GetProperty("cursor").GetInt64();
            // One change since the cursor: the running trial's progress, as a runner reports it every few steps.
            await ProgressAsync(store, "running-0", round);
            var update = await GetAsync(http, $"{view}?after={cursor}");
            updates.Add(update);
            var changed = JsonDocument.Parse(update.Body).RootElement;
            Check(changed.GetProperty("trials").GetArrayLength() == 1 && changed.GetProperty("matrix").ValueKind == JsonValueKind.Null, "an update answers the one trial that changed, without the matrix");
            // A trial that reaches a terminal state: the update brings the matrix as well.
            cursor = changed.GetProperty("cursor").GetInt64();
            await FinishAsync(store, $"t{round % trials}", round);
            var finished = await GetAsync(http, $"{view}?after={cursor}");
            finishing.Add(finished);
            Check(JsonDocument.Parse(finished.Body).RootElement.GetProperty("matrix").ValueKind == JsonValueKind.Object, "a finished trial's update carries the matrix");

            var detail = await GetAsync(http, $"/api/sweeps/{SweepId}");
            var matrix = await GetAsync(http, $"/api/sweeps/{SweepId}/report/json");
            fullReads.Add(new Sample(detail.Milliseconds + matrix.Milliseconds, detail.Bytes + matrix.Bytes, string.Empty));
            reports.Add(await GetAsync(http, $"/api/sweeps/{SweepId}/report/html"));
        }

        var update0 = Median(updates, s => s.Milliseconds);
        var updateBytes = Median(updates, s => s.Bytes);
        var full = Median(fullReads, s => s.Milliseconds);
        var fullBytes = Median(fullReads, s => s.Bytes);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"request",-58} {"median ms",10} {"median bytes",13}"));
        Row($"first sweep-page load, cold (one call)", cold.Milliseconds, cold.Bytes);
        Row($"first sweep-page load, warm ({rounds} rounds)", Median(firstLoads, s => s.Milliseconds), Median(firstLoads, s => s.Bytes));
        Row("update: one trial's progress changed", update0, updateBytes);
        Row("update: one trial finished (brings the matrix)", Median(finishing, s => s.Milliseconds), Median(finishing, s => s.Bytes));
        Row("reference: full re-read (every trial + the matrix JSON)", full, fullBytes);
        Row("reference: the static report.html render", Median(reports, s => s.Milliseconds), Median(reports, s => s.Bytes));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"an update takes {full / update0:F1}x less server time and sends {fullBytes / updateBytes:F0}x fewer bytes than the full re-read it replaces"));
        Console.WriteLine($"load average at end {LoadAverage()}");
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
finally
{
    directory.Delete(recursive: true);
}

return 0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static void Row(string what, double milliseconds, double bytes) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-58} {milliseconds,10:F2} {bytes,13:F0}"));

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("not as expected: " + what);
    }
}

static double Median(IReadOnlyList<Sample> samples, Func<Sample, double> value)
{
    var sorted = samples.Select(value).Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static async Task<Sample> GetAsync(HttpClient http, string path)
{
    var watch = Stopwatch.StartNew();
    using var response = await http.GetAsync(path);
    var body = await response.Content.ReadAsByteArrayAsync();
    watch.Stop();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
    }

    return new Sample(watch.Elapsed.TotalMilliseconds, body.Length, Encoding.UTF8.GetString(body));
}

static async Task SeedAsync(HttpClient http, ITrialStore store, int count)
{
    var trials = Enumerable.Range(0, count).Select(i => (Id: $"t{i}", Config: i / 10, Seed: i % 10))
        .Append((Id: "running-0", Config: count / 10, Seed: 0)).ToList();
    var body = new
    {
        sweep = new
        {
            id = SweepId, name = "web bench", description = "finished no-op trials", question = "what does the page cost?",
            objectiveMetric = "psnr_cross", objectiveGoal = "maximize", sweepText = "name: web bench",
        },
        trials = trials.Select((t, i) => new
        {
            id = t.Id, configName = $"config-{t.Config}", configKey = $"key-{t.Config}", seed = t.Seed,
            parameters = new { lr = 0.001 * (1 + t.Config) }, expect = "pass", config = new { name = $"config-{t.Config}" },
            resources = new { gpus = 0, labels = new Dictionary<string, string> { ["run"] = "nowhere" } },
            maxAttempts = 1, priority = 0, order = i,
        }),
    };
    using var submitted = await http.PostAsync("/api/sweeps", new StringContent(JsonSerializer.Serialize(body, SweepCluster.Coordinator.Contracts.CoordinatorJson.Options), Encoding.UTF8, "application/json"));
    Check(submitted.IsSuccessStatusCode, $"the submission is accepted ({(int)submitted.StatusCode})");
    await Parallel.ForEachAsync(trials.Where(t => t.Id != "running-0"), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (t, _) => await FinishAsync(store, t.Id, t.Seed));
    await StartAsync(store, "running-0");
}

static async Task StartAsync(ITrialStore store, string trialId)
{
    var now = DateTimeOffset.UtcNow;
    await store.UpdateTrialAsync(trialId, current => Outcome<TrialChange>.Accepted(new TrialChange(current with
    {
        State = TrialState.Running, CurrentAttempt = 1, PendingReason = null,
        Attempt = new AttemptSnapshot(1, AttemptState.Running, "bench-silo", ["cpu0"], now, null, null, new AttemptProgress(0, 1000, 0)),
    }, "running", "attempt 1 running")), CancellationToken.None);
}

static async Task ProgressAsync(ITrialStore store, string trialId, int round) =>
    await store.UpdateTrialAsync(trialId, current => Outcome<TrialChange>.Accepted(new TrialChange(current with
    {
        Attempt = current.Attempt! with { Progress = new AttemptProgress(round + 1, 1000, 0) },
    }, "attempt.progress", $"attempt 1 at step {round + 1} of 1000")), CancellationToken.None);

// A no-op trial as a runner would leave it: succeeded after one attempt, with a summary and its curves.
static async Task FinishAsync(ITrialStore store, string trialId, int seed)
{
    var end = DateTimeOffset.UtcNow;
    var psnr = 27 + (seed * 0.1);
    var summary = string.Create(CultureInfo.InvariantCulture,
        $$"""{"scalars":{"psnr_cross":{{psnr}},"ssim_cross":0.8,"psnr_gain_cross":5,"leakage_cross":0.05,"leakage_recon":0.05,"cross_loss_final":0.1,"cross_slope":-0.01,"cross_going_down":1,"z_distance":0.1,"psnr_noisy":22,"psnr_classical":25},"supervised":false}""");
    await store.UpdateTrialAsync(trialId, current => Outcome<TrialChange>.Accepted(new TrialChange(current with
    {
        State = TrialState.Succeeded, CurrentAttempt = 1, PendingReason = null, SummaryJson = summary,
        Attempt = new AttemptSnapshot(1, AttemptState.Running, "bench-silo", ["cpu0"], end.AddSeconds(-30), null, null, new AttemptProgress(100, 100, 10)),
    }, "running", "attempt 1 running")), CancellationToken.None);
    var points = Enumerable.Range(1, 10).Select(e => new MetricPoint(e * 10, "loss.cross", 1.0 / e, e, "epoch"))
        .Concat(Enumerable.Range(1, 5).SelectMany(k => new[] { "eval.x_a_from_b.psnr", "eval.x_b_from_a.psnr" }.Select(n => new MetricPoint(k * 20, n, 20 + k, null, "eval"))))
        .ToList();
    await store.AppendMetricsAsync(trialId, 1, points, _ => null, CancellationToken.None);
    await store.UpdateTrialAsync(trialId, current => Outcome<TrialChange>.Accepted(new TrialChange(current with
    {
        Attempt = current.Attempt! with { State = AttemptState.Succeeded, EndedAt = end },
    }, "succeeded", "attempt 1 succeeded")), CancellationToken.None);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

/// <summary>One request: its round-trip time on loopback, the bytes of its body, and the body.</summary>
internal sealed record Sample(double Milliseconds, double Bytes, string Body);
