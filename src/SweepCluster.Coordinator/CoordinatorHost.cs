using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Silos;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator.Apis;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Coordinator.Hosting;
using SweepCluster.Coordinator.Security;
using SweepCluster.Coordinator.Web;
using SweepCluster.Telemetry;

namespace SweepCluster.Coordinator;

/// <summary>
/// Builds the coordinator's web application, standalone (<c>sweepcluster coordinator</c>) or
/// embedded in <c>sweepcluster run</c> (loopback, port 0).
/// </summary>
public static class CoordinatorHost
{
    /// <summary>
    /// Builds the application from explicit options. The store is opened and the tokens are
    /// resolved here, so a bad path or a missing token fails now rather than at the first request.
    /// Start it with <c>StartAsync</c>/<c>RunAsync</c>; dispose it to stop and close what it owns.
    /// </summary>
    public static WebApplication Build(CoordinatorHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls);
        options.ConfigureLogging?.Invoke(builder.Logging);
        AddCoordinator(builder.Services, _ => options);
        UseSilo(builder, options);
        var app = builder.Build();
        UseCoordinator(app);
        return app;
    }

    /// <summary>Builds the application from command-line arguments and configuration (see <see cref="CoordinatorHostOptions.FromConfiguration"/>).</summary>
    public static WebApplication BuildFromConfiguration(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = CoordinatorHostOptions.FromConfiguration(builder.Configuration) with
        {
            // A standalone coordinator process for tests: one silo on free loopback ports, grain state in memory.
            ConfigureSilo = silo => UseInMemorySilo(silo),
        };
        AddCoordinator(builder.Services, _ => options);
        UseSilo(builder, options);
        var app = builder.Build();
        UseCoordinator(app);
        return app;
    }

    /// <summary>Registers the core, the store, authentication, authorization, ProblemDetails and the grain services the API calls.</summary>
    public static IServiceCollection AddCoordinator(IServiceCollection services, Func<IServiceProvider, CoordinatorHostOptions> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => options(sp));
        services.AddSingleton(sp => sp.GetRequiredService<CoordinatorHostOptions>().TimeProvider ?? TimeProvider.System);
        services.AddSingleton(sp => CoordinatorTokens.Resolve(sp.GetRequiredService<CoordinatorHostOptions>()));
        services.AddSingleton(sp => OpenStore(sp.GetRequiredService<CoordinatorHostOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new CoordinatorCore(
            sp.GetRequiredService<StoreLease>().Store, sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<IClusterSlots>()));
        services.AddHostedService<TelemetryRefreshService>();
        // The hosting diagnostics' request lines carry the query string, where a web page link has its token (?token=).
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => CoordinatorJson.Configure(o.SerializerOptions));
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        // AddAuthentication brings data protection, whose hosted service creates a key ring at start-up:
        // a key file written unencrypted under ~/.aspnet and a "No XML encryptor configured" warning on
        // every fresh machine. Nothing here protects data (bearer tokens, no cookies, no antiforgery),
        // so the warm-up goes; a key ring would still be made on first use if something ever needed one.
        foreach (var warmUp in services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList())
        {
            services.Remove(warmUp);
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(CoordinatorRoles.Silo, p => p.RequireRole(CoordinatorRoles.Silo))
            .AddPolicy(CoordinatorRoles.User, p => p.RequireRole(CoordinatorRoles.User))
            // An endpoint that forgets to name a role still needs a valid token.
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>Adds the middleware (errors as ProblemDetails, authentication, authorization) and maps every API area and <c>/healthz</c>.</summary>
    public static WebApplication UseCoordinator(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Fail at start-up, not at the first request, when the tokens or the store are misconfigured.
        _ = app.Services.GetRequiredService<CoordinatorTokens>();
        _ = app.Services.GetRequiredService<StoreLease>();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/healthz", () => TypedResults.Text("ok")).AllowAnonymous();
        app.MapSweepsApi();
        app.MapTrialsApi();
        app.MapSilosApi();
        app.MapEventsApi();
        app.MapReportsApi();
        // prometheus-net's exposition, scraped with the user token: every endpoint but /healthz needs one, and a request
        // refused here collects nothing.
        app.MapSweepClusterMetrics().RequireAuthorization(CoordinatorRoles.User);
        // The live web page (/, /login, /assets, /api/web): its own area, behind the user token.
        app.MapWebUi();
        // Orleans' own view of the cluster: silos, grain activations, calls and their latency.
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(CoordinatorRoles.User);
        return app;
    }

    /// <summary>The address the started application listens on (the real port when the options asked for port 0).</summary>
    public static Uri GetListenAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The coordinator is not listening yet; start it first.");
        return new Uri(first.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Makes the host an Orleans silo: the grains and their record over the host's store, plus what the options configure.</summary>
    private static void UseSilo(IHostApplicationBuilder builder, CoordinatorHostOptions options)
    {
        var configure = options.ConfigureSilo
            ?? throw new InvalidOperationException("The coordinator is an Orleans silo: configure its clustering and grain storage (ConfigureSilo).");
        builder.Services.AddSweepClusterTelemetry(options.TelemetryServiceName);
        builder.UseOrleans(silo =>
        {
            // One trace from the HTTP request through the grain calls it makes to the attempt a placement starts.
            silo.AddActivityPropagation();
            silo.Services.AddSweepClusterGrains(sp => sp.GetRequiredService<StoreLease>().Store, options.ConfigureScheduler);
            configure(silo);
        });
    }

    /// <summary>
    /// The coordinator's silo for tests and benchmarks: localhost clustering on free loopback ports (the silo port
    /// <paramref name="siloPort"/> when given, for silos that join it), grain state in memory
    /// (<see cref="SweepClusterSiloBuilderExtensions.AddSweepClusterMemoryStorage"/>), silo metadata (none: this silo
    /// offers no slots; the scheduler's view of membership reads the trainer silos' from it) and the Orleans dashboard.
    /// </summary>
    public static ISiloBuilder UseInMemorySilo(ISiloBuilder silo, int? siloPort = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo
            .UseLocalhostClustering(siloPort ?? SweepClusterSiloBuilderExtensions.FreeLoopbackPort(), SweepClusterSiloBuilderExtensions.FreeLoopbackPort())
            .UseSiloMetadata()
            .AddSweepClusterMemoryStorage()
            .AddDashboard(dashboard => dashboard.HideTrace = true);
    }

    private static StoreLease OpenStore(CoordinatorHostOptions options, TimeProvider time)
    {
        if (options.Store is { } store)
        {
            return new StoreLease(store, owned: false);
        }

        if (string.IsNullOrWhiteSpace(options.SqlitePath))
        {
            throw new InvalidOperationException("The coordinator needs a store: pass one, or a SQLite path.");
        }

        // Opened synchronously inside a service factory: SQLite opens without real asynchrony, and this
        // runs once at start-up, before any request.
        ITrialStore opened = SqlTrialStore.OpenSqliteAsync(options.SqlitePath, time, CancellationToken.None).GetAwaiter().GetResult();
        return new StoreLease(opened, owned: true);
    }
}
