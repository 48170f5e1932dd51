using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SweepCluster.Coordinator;
using SweepCluster.Coordinator.Contracts;

namespace SweepCluster.Coordinator.Tests;

/// <summary>
/// The coordinator through WebApplicationFactory, on a fresh SQLite file in a temporary directory. Its Program is a
/// one-silo Orleans cluster with memory grain storage and no trainer silo: nothing runs trials, so a test that needs a
/// trial to run plays the runner's part by calling the trial grain (<see cref="Grains"/>) as a runner on this silo would.
/// </summary>
public sealed class CoordinatorApiFixture : IAsyncLifetime
{
    /// <summary>The optional silo token: silos no longer use the API, and this token must open none of it.</summary>
    public const string SiloToken = "silo-token-for-tests-0123456789";
    public const string UserToken = "user-token-for-tests-0123456789";

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

    /// <summary>A client carrying <paramref name="token"/>; it does not follow redirects, whose requests would go without the token.</summary>
    public HttpClient Client(string? token)
    {
        var client = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient User() => Client(UserToken);

    public HttpClient Silo() => Client(SiloToken);

    /// <summary>The grains of the coordinator's silo.</summary>
    public IGrainFactory Grains => Factory.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The coordinator's silo as placements name it (trial grains take placements for their own silo only).</summary>
    public string SiloId => Factory.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

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
