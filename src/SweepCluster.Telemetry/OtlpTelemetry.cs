using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace SweepCluster.Telemetry;

/// <summary>The OpenTelemetry providers exporting SweepCluster's metrics and traces over OTLP; dispose to flush and stop.</summary>
public sealed class OtlpTelemetry : IDisposable
{
    private readonly MeterProvider _meterProvider;
    private readonly TracerProvider _tracerProvider;

    internal OtlpTelemetry(MeterProvider meterProvider, TracerProvider tracerProvider, Uri metricsEndpoint, Uri tracesEndpoint)
    {
        _meterProvider = meterProvider;
        _tracerProvider = tracerProvider;
        MetricsEndpoint = metricsEndpoint;
        TracesEndpoint = tracesEndpoint;
    }

    /// <summary>Where metrics are sent.</summary>
    public Uri MetricsEndpoint { get; }

    /// <summary>Where traces are sent.</summary>
    public Uri TracesEndpoint { get; }

    /// <summary>Exports everything recorded so far now; returns whether both exports finished within the timeout.</summary>
    public bool ForceFlush(TimeSpan timeout)
    {
        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        var metrics = _meterProvider.ForceFlush(milliseconds);
        var traces = _tracerProvider.ForceFlush(milliseconds);
        return metrics && traces;
    }

    /// <summary>Flushes and shuts both providers down.</summary>
    public void Dispose()
    {
        _meterProvider.Dispose();
        _tracerProvider.Dispose();
    }
}
