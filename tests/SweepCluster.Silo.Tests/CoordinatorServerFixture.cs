using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SweepCluster.Coordinator;
using SweepCluster.Coordinator.Contracts;

namespace SweepCluster.Silo.Tests;

/// <summary>A real coordinator on Kestrel, 127.0.0.1 and a free port, over a temporary SQLite file.</summary>
public sealed class CoordinatorServerFixture : IAsyncLifetime
{
    public const string SiloToken = "silo-token-for-silo-tests-0123";
    public const string UserToken = "user-token-for-silo-tests-0123";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sweepcluster-silo-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public string WorkRoot => Path.Combine(_directory, "work");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _app = CoordinatorHost.Build(new CoordinatorHostOptions
        {
            SqlitePath = Path.Combine(_directory, "coordinator.db"),
            Urls = "http://127.0.0.1:0",
            SiloToken = SiloToken,
            UserToken = UserToken,
            ExpiryInterval = TimeSpan.FromHours(1),
            ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Warning),
        });
        await _app.StartAsync();
        BaseAddress = CoordinatorHost.GetListenAddress(_app);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left behind: harmless.
        }
    }

    public HttpClient User()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", UserToken);
        return client;
    }

    public CoordinatorClient SiloClient() =>
        new(new HttpClient { BaseAddress = BaseAddress }, SiloToken, new CoordinatorClientOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(50) });

    public async Task SubmitAsync(string sweepId, string label, int trials = 1, int maxAttempts = 3)
    {
        var body = new
        {
            sweep = new { id = sweepId, name = sweepId, question = "q", objectiveMetric = "psnr_cross", objectiveGoal = "maximize", sweepText = "t" },
            trials = Enumerable.Range(0, trials).Select(i => new
            {
                id = $"{sweepId}-t{i}",
                configName = $"config-{i}",
                configKey = $"key-{i}",
                seed = i,
                parameters = new { i },
                config = new { name = $"config-{i}", seed = i },
                resources = new { gpus = 0, labels = new Dictionary<string, string> { ["run"] = label } },
                maxAttempts,
            }).ToArray(),
        };
        using var user = User();
        (await user.PostAsJsonAsync("api/sweeps", body, CoordinatorJson.Options)).EnsureSuccessStatusCode();
    }

    public async Task<TrialDto> GetTrialAsync(string trialId)
    {
        using var user = User();
        return (await user.GetFromJsonAsync<TrialDto>($"api/trials/{trialId}", CoordinatorJson.Options))!;
    }

    public async Task<T> GetAsync<T>(string path)
    {
        using var user = User();
        return (await user.GetFromJsonAsync<T>(path, CoordinatorJson.Options))!;
    }
}
