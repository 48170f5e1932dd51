using Microsoft.Extensions.Logging;

namespace SweepCluster.Silo;

/// <summary>What <see cref="TrainerSiloHost.Build"/> composes: the silo's Orleans configuration and its <c>/metrics</c>.</summary>
public sealed record TrainerSiloHostOptions
{
    /// <summary>Clustering, grain storage, the grains and the runner (<c>AddSweepClusterGrains</c>, <c>AddSweepClusterRunner</c>).</summary>
    public required Action<ISiloBuilder> ConfigureSilo { get; init; }

    /// <summary>Where <c>/metrics</c> and <c>/healthz</c> listen, e.g. <c>http://0.0.0.0:9464</c>; null serves neither.</summary>
    public string? MetricsUrl { get; init; }

    /// <summary>The bearer token <c>/metrics</c> requires; needed whenever <see cref="MetricsUrl"/> is set.</summary>
    public string? MetricsToken { get; init; }

    /// <summary>The <c>service.name</c> of its traces and OTLP metrics.</summary>
    public string ServiceName { get; init; } = "sweepcluster-silo";

    /// <summary>The variables OTLP export is configured from (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, ...); the process's when null.</summary>
    public IReadOnlyDictionary<string, string?>? TelemetryEnvironment { get; init; }

    /// <summary>Log levels and providers.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
