using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SweepCluster.Cluster.Grains;

namespace SweepCluster.Coordinator.Tests;

/// <summary>
/// A coordinator as <c>sweepcluster coordinator</c> hosts it, on a real loopback port (a browser needs one), with grain
/// state in memory and every log line of every category, down to Trace, captured.
/// </summary>
public sealed class WebCoordinator : IAsyncLifetime
{
    public const string UserToken = "web-user-token-for-tests-0123456789";
    public const string GrafanaUrl = "http://grafana.invalid:3000/d/sweepcluster";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sweepcluster-web-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _logs = new();
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Every log line so far: category, level, message and exception.</summary>
    public IReadOnlyList<string> Logs => [.. _logs];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _app = CoordinatorHost.Build(new CoordinatorHostOptions
        {
            SqlitePath = Path.Combine(_directory, "coordinator.db"),
            Urls = "http://127.0.0.1:0",
            UserToken = UserToken,
            GrafanaUrl = GrafanaUrl,
            ConfigureSilo = silo => CoordinatorHost.UseInMemorySilo(silo),
            ConfigureLogging = logging =>
            {
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(new CaptureProvider(_logs));
            },
        });
        await _app.StartAsync();
        Address = CoordinatorHost.GetListenAddress(_app);
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
            // A temporary directory left behind is harmless.
        }
    }

    /// <summary>A client that does not follow redirects, with the bearer token when given.</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private sealed class CaptureProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capture(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class Capture(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a token could hide in a parameter the message template leaves out.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {values} {exception}");
        }
    }
}
