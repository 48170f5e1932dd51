using System.Diagnostics.Metrics;
using System.Text;
using Prometheus;

namespace SweepCluster.Telemetry;

/// <summary>
/// One host's Prometheus registry: prometheus-net's meter adapter publishes the meters of <see cref="PublishedMeters"/>
/// into it, and <see cref="MetricsEndpoints.MapSweepClusterMetrics"/> serves it on <c>/metrics</c>.
/// </summary>
/// <remarks>
/// The adapter names a series <c>&lt;meter&gt;_&lt;instrument&gt;</c>, lower case, every other character than a
/// letter, digit or underscore made an underscore (<c>SweepCluster</c> + <c>sweepcluster.trial.psnr</c> is
/// <c>sweepcluster_sweepcluster_trial_psnr</c>, <c>Microsoft.Orleans</c> + <c>orleans-catalog-activations</c> is
/// <c>microsoft_orleans_orleans_catalog_activations</c>); it writes no unit and no <c>_total</c>, and a .NET counter
/// becomes a Prometheus gauge holding the running sum. Histograms keep the bucket bounds their instrument advises.
/// <para>
/// Two adapters share the registry. One publishes every instrument but our observable gauges and keeps a series for
/// a day after its last measurement, so a counter that is quiet for a while does not start again from zero. The other
/// publishes our observable gauges, and before each collection the series their sources no longer report are removed:
/// a silo that left the cluster, or a trial <see cref="TrialMetricRegistry"/> dropped, is gone from the next scrape,
/// which keeps the per-trial series under the registry's cap. Dispose with the host.
/// </para>
/// </remarks>
public sealed class PrometheusMetrics : IDisposable
{
    /// <summary>The meters published besides ours: Orleans, the runtime, ASP.NET Core (every <c>Microsoft.AspNetCore.*</c>), HttpClient, DNS and Npgsql.</summary>
    public static IReadOnlyList<string> PublishedMeters { get; } =
        [SweepClusterTelemetry.Name, "Microsoft.Orleans", "System.Runtime", "Microsoft.AspNetCore.*", "System.Net.Http", "System.Net.NameResolution", "Npgsql"];

    // A quiet counter or histogram keeps its series this long (prometheus-net's longest).
    private static readonly TimeSpan EventSeriesLifetime = TimeSpan.FromDays(1);

    // Observed series are read again at every collection; this only bounds how long the adapter remembers removed ones.
    private static readonly TimeSpan ObservedSeriesLifetime = TimeSpan.FromMinutes(1);

    private readonly MetricFactory _factory;
    private readonly IDisposable _events;
    private readonly IDisposable _observed;

    /// <summary>Creates the registry and starts both adapters.</summary>
    public PrometheusMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(Registry);
        // Registered before the adapters' own callbacks, so it runs before they read the observable instruments.
        Registry.AddBeforeCollectCallback(RemoveUnobservedSeries);
        _observed = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = _factory,
            InstrumentFilterPredicate = IsObservedGauge,
            MetricsExpireAfter = ObservedSeriesLifetime,
        });
        _events = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = _factory,
            InstrumentFilterPredicate = instrument => IsPublished(instrument.Meter.Name) && !IsObservedGauge(instrument),
            ResolveHistogramBuckets = BucketBounds,
            MetricsExpireAfter = EventSeriesLifetime,
        });
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The series name prometheus-net's adapter gives an instrument of a meter.</summary>
    public static string SeriesName(string meterName, string instrumentName) => PrometheusName(meterName + "_" + instrumentName);

    /// <summary>Whether a meter of this name is published (a name in <see cref="PublishedMeters"/>, or under one ending in <c>.*</c>).</summary>
    public static bool IsPublished(string meterName)
    {
        ArgumentNullException.ThrowIfNull(meterName);
        foreach (var published in PublishedMeters)
        {
            if (published.EndsWith(".*", StringComparison.Ordinal)
                ? meterName.StartsWith(published[..^1], StringComparison.Ordinal)
                : string.Equals(meterName, published, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the exposition text, as a scrape would get it (tests and diagnostics).</summary>
    public async Task<string> CollectTextAsync(CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Stops both adapters.</summary>
    public void Dispose()
    {
        _events.Dispose();
        _observed.Dispose();
    }

    // Every observable instrument of our meter is one of SweepClusterTelemetry.ObservedGauges. (Asked while that class's
    // instruments are being created, so it must not read the class's other static members.)
    private static bool IsObservedGauge(Instrument instrument) =>
        instrument.IsObservable && string.Equals(instrument.Meter.Name, SweepClusterTelemetry.Name, StringComparison.Ordinal);

    private static double[] BucketBounds(Instrument instrument)
    {
        IEnumerable<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            _ => null,
        };
        var bounds = advised?.Where(double.IsFinite).Distinct().Order().ToArray();
        return bounds is { Length: > 0 } ? bounds : MeterAdapterOptions.DefaultHistogramBuckets;
    }

    /// <summary>Removes every series of our observable gauges that their source does not report now.</summary>
    private void RemoveUnobservedSeries()
    {
        foreach (var gauge in SweepClusterTelemetry.ObservedGauges)
        {
            // The adapter orders a series' labels by their Prometheus names.
            var order = Enumerable.Range(0, gauge.LabelKeys.Length).OrderBy(i => PrometheusName(gauge.LabelKeys[i]), StringComparer.Ordinal).ToArray();
            var labelNames = order.Select(i => PrometheusName(gauge.LabelKeys[i])).ToArray();
            var current = new HashSet<string>(StringComparer.Ordinal);
            foreach (var values in gauge.CurrentSeries())
            {
                current.Add(SeriesKey(order.Select(i => values[i])));
            }

            var family = _factory.CreateGauge(
                SeriesName(gauge.Instrument.Meter.Name, gauge.Instrument.Name), gauge.Instrument.Description ?? gauge.Instrument.Name, labelNames);
            foreach (var values in family.GetAllLabelValues().ToList())
            {
                if (!current.Contains(SeriesKey(values)))
                {
                    family.RemoveLabelled(values);
                }
            }
        }
    }

    private static string SeriesKey(IEnumerable<string> labelValues) => string.Join('\u001f', labelValues);

    private static string PrometheusName(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var original in name)
        {
            var c = char.ToLowerInvariant(original);
            if (builder.Length == 0 && !(char.IsAsciiLetterLower(c) || c == '_'))
            {
                builder.Append('_');
            }

            builder.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_' ? c : '_');
        }

        return builder.ToString();
    }
}
