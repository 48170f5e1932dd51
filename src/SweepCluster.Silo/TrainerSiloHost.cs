using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweepCluster.Telemetry;

namespace SweepCluster.Silo;

/// <summary>
/// Builds a trainer silo's host (<c>sweepcluster silo</c>): an Orleans silo that propagates activities through grain
/// calls, with SweepCluster's telemetry, and, when asked, a small web server for <c>GET /metrics</c> (bearer token) and
/// <c>GET /healthz</c> (open, for probes).
/// </summary>
public static class TrainerSiloHost
{
    /// <summary>Builds the host; start it with <c>StartAsync</c>, dispose it to stop.</summary>
    public static IHost Build(TrainerSiloHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MetricsUrl is null)
        {
            var plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
            Configure(plain, options);
            return plain.Build();
        }

        if (string.IsNullOrWhiteSpace(options.MetricsToken))
        {
            throw new ArgumentException("A silo's /metrics needs a bearer token.", nameof(options));
        }

        var web = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        web.WebHost.UseUrls(options.MetricsUrl);
        Configure(web, options);
        var app = web.Build();
        app.MapGet("/healthz", () => TypedResults.Text("ok"));
        app.MapSweepClusterMetrics(options.MetricsToken);
        return app;
    }

    /// <summary>Where the started host's <c>/metrics</c> listens (the real port when the URL asked for port 0), or null when it serves none.</summary>
    public static Uri? GetMetricsAddress(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var addresses = host.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault() is { } first
            ? new Uri(first.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal))
            : null;
    }

    private static void Configure(IHostApplicationBuilder builder, TrainerSiloHostOptions options)
    {
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.AddSweepClusterTelemetry(options.ServiceName, options.TelemetryEnvironment);
        builder.UseOrleans(silo =>
        {
            // One trace from a grain call to the attempt it starts: the attempt's span is a child of the call's.
            silo.AddActivityPropagation();
            options.ConfigureSilo(silo);
        });
    }
}
