namespace SweepCluster.Telemetry;

/// <summary>The Prometheus metric type an instrument is exposed as.</summary>
internal enum PrometheusKind
{
    /// <summary>Counter and ObservableCounter: monotonic, name ends in <c>_total</c>.</summary>
    Counter,

    /// <summary>Gauge, ObservableGauge, UpDownCounter and ObservableUpDownCounter.</summary>
    Gauge,

    /// <summary>Histogram: cumulative <c>_bucket</c> series, <c>_sum</c> and <c>_count</c>.</summary>
    Histogram,
}
