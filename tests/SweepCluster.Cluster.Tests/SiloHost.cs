using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// A real Orleans silo host (generic host + <c>UseOrleans</c>), as the product's hosts build it, started and timed;
/// disposing stops it. Orleans' warnings and errors go to the test's output.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    private SiloHost(IHost host, TimeSpan startTime)
    {
        Host = host;
        StartTime = startTime;
    }

    public IHost Host { get; }

    /// <summary>From <c>StartAsync</c> called to the silo active (the host's start returns once the silo is).</summary>
    public TimeSpan StartTime { get; }

    public IServiceProvider Services => Host.Services;

    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    public SiloAddress Address => Host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <summary>Builds and starts a silo; writes "silo start (<paramref name="label"/>): N ms" to the test output.</summary>
    public static async Task<SiloHost> StartAsync(Action<ISiloBuilder> configure, ITestOutputHelper output, string label)
    {
        var host = new HostBuilder()
            .UseOrleans(configure)
            .ConfigureLogging(logging => logging.ClearProviders().AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Warning))
            .Build();
        var clock = Stopwatch.StartNew();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        var elapsed = clock.Elapsed;
        output.WriteLine($"silo start ({label}): {elapsed.TotalMilliseconds:F0} ms");
        return new SiloHost(host, elapsed);
    }

    /// <summary>A TCP port nothing listens on at the moment (loopback).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Host.StopAsync(timeout.Token);
        }
        finally
        {
            Host.Dispose();
        }
    }
}
