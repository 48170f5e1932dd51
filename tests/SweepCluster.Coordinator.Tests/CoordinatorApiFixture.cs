using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using SweepCluster.Coordinator;
using SweepCluster.Coordinator.Contracts;

namespace SweepCluster.Coordinator.Tests;

/// <summary>The coordinator through WebApplicationFactory, on a fresh SQLite file in a temporary directory.</summary>
public sealed class CoordinatorApiFixture : IAsyncLifetime
{
    public const string SiloToken = "silo-token-for-tests-0123456789";
    public const string UserToken = "user-token-for-tests-0123456789";
    public const long MaxArtifactBytes = 64 * 1024;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sweepcluster-api-" + Guid.NewGuid().ToString("N"));

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("SweepCluster:SqlitePath", Path.Combine(_directory, "coordinator.db"));
            builder.UseSetting("SweepCluster:SiloToken", SiloToken);
            builder.UseSetting("SweepCluster:UserToken", UserToken);
            builder.UseSetting("SweepCluster:MaxClaimWaitSeconds", "10");
            builder.UseSetting("SweepCluster:MaxArtifactBytes", MaxArtifactBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Expiry is not under test here; keep it out of the way.
            builder.UseSetting("SweepCluster:ExpiryIntervalSeconds", "3600");
        });
        _ = Factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }

    public HttpClient Client(string? token)
    {
        var client = Factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient User() => Client(UserToken);

    public HttpClient Silo() => Client(SiloToken);

    /// <summary>A submission body with <paramref name="trials"/> CPU trials that only silos labelled <c>run=label</c> can take.</summary>
    /// <param name="only">The trial numbers to list instead of 0 to <paramref name="trials"/> - 1; trial i is the same trial in every body of the sweep.</param>
    public static object SweepBody(string sweepId, string label, int trials = 1, int maxAttempts = 3, int[]? only = null) => new
    {
        sweep = new
        {
            id = sweepId,
            name = "sweep " + sweepId,
            description = "test sweep",
            question = "does it run?",
            objectiveMetric = "psnr_cross",
            objectiveGoal = "maximize",
            sweepText = "name: test",
        },
        trials = (only ?? Enumerable.Range(0, trials)).Select(i => new
        {
            id = $"{sweepId}-t{i}",
            configName = $"config-{i}",
            configKey = $"key-{i}",
            seed = 1000 + i,
            parameters = new { skip_mode = "additive", index = i },
            expect = "runs",
            config = new { name = $"config-{i}", seed = 1000 + i, training = new { epochs = 2 } },
            resources = new { gpus = 0, labels = new Dictionary<string, string> { ["run"] = label } },
            maxAttempts,
            priority = 0,
            order = i,
        }).ToArray(),
    };

    public static object SiloBody(string siloId, string label, int slots = 1) => new
    {
        id = siloId,
        name = siloId,
        labels = new Dictionary<string, string> { ["run"] = label },
        slots = Enumerable.Range(0, slots).Select(i => new { id = $"cpu{i}" }).ToArray(),
    };

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var value = await response.Content.ReadFromJsonAsync<T>(CoordinatorJson.Options);
        return value ?? throw new InvalidOperationException("empty body");
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
