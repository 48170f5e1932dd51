using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace SweepCluster.Telemetry;

/// <summary>
/// Aggregates every instrument of one <see cref="Meter"/> name through a <see cref="MeterListener"/> and writes it
/// in the Prometheus text exposition format 0.0.4.
/// </summary>
/// <remarks>
/// Mapping: Counter and ObservableCounter -> <c>counter</c> named <c>..._total</c>; Histogram -> <c>histogram</c>
/// with cumulative <c>_bucket{le=...}</c> series (bounds from the instrument's advice, else Prometheus' defaults),
/// <c>_sum</c> and <c>_count</c>; Gauge, ObservableGauge, UpDownCounter and ObservableUpDownCounter -> <c>gauge</c>.
/// The unit is appended as a word (<c>s</c> -> <c>_seconds</c>, <c>By</c> -> <c>_bytes</c>; annotations in braces
/// are dropped). Labels are the measurement's tags, sorted by name. Observable instruments are read at each
/// collection, so a series their callback no longer reports disappears. Families are sorted by name, series by labels.
/// Thread safety: measurements may be recorded from any thread while collections run; collections are serialized.
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The Content-Type of the exposition: text format 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Prometheus' client default buckets, for histograms without advice.
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly string _meterName;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly object _collectGate = new();

    /// <summary>Starts listening to every instrument, present and future, of meters named <paramref name="meterName"/>.</summary>
    public PrometheusExporter(string meterName = SweepClusterTelemetry.Name)
    {
        ArgumentException.ThrowIfNullOrEmpty(meterName);
        _meterName = meterName;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _),
        };
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => OnMeasurement(s, v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => OnMeasurement(s, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => OnMeasurement(s, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => OnMeasurement(s, v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => OnMeasurement(s, v, t));
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => OnMeasurement(s, v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => OnMeasurement(s, (double)v, t));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and returns the whole exposition text.</summary>
    public string Collect()
    {
        lock (_collectGate)
        {
            foreach (var state in _instruments.Values)
            {
                if (state.IsObservable)
                {
                    state.Series.Clear();
                }
            }

            _listener.RecordObservableInstruments();

            var builder = new StringBuilder();
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var state in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                // Two instruments mapping to one family name would make Prometheus refuse the whole scrape.
                if (written.Add(state.Name))
                {
                    WriteFamily(builder, state);
                }
            }

            return builder.ToString();
        }
    }

    /// <summary>Writes <see cref="Collect"/>'s text to <paramref name="destination"/> as UTF-8.</summary>
    public async Task WriteAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var bytes = Encoding.UTF8.GetBytes(Collect());
        await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!string.Equals(instrument.Meter.Name, _meterName, StringComparison.Ordinal))
        {
            return;
        }

        var (kind, observable, cumulativeObservation) = Classify(instrument);
        if (kind is null)
        {
            return;
        }

        var state = new InstrumentState(
            PrometheusNaming.MetricName(instrument.Name, instrument.Unit, kind.Value),
            string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description,
            kind.Value,
            observable,
            cumulativeObservation,
            kind == PrometheusKind.Histogram ? BucketBounds(instrument) : []);
        _instruments[instrument] = state;
        listener.EnableMeasurementEvents(instrument, state);
    }

    private static (PrometheusKind? Kind, bool Observable, bool Sets) Classify(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return (null, false, false);
        }

        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            return (PrometheusKind.Counter, false, false);
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return (PrometheusKind.Counter, true, true);
        }

        if (definition == typeof(Histogram<>))
        {
            return (PrometheusKind.Histogram, false, false);
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return (PrometheusKind.Gauge, false, false);
        }

        if (definition == typeof(Gauge<>))
        {
            return (PrometheusKind.Gauge, false, true);
        }

        if (definition == typeof(ObservableGauge<>) || definition == typeof(ObservableUpDownCounter<>))
        {
            return (PrometheusKind.Gauge, true, true);
        }

        return (null, false, false);
    }

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
        var bounds = (advised ?? DefaultBuckets).Where(b => !double.IsNaN(b) && !double.IsPositiveInfinity(b)).Distinct().Order().ToArray();
        return bounds.Length == 0 ? DefaultBuckets : bounds;
    }

    private static void OnMeasurement(object? stateObject, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (stateObject is not InstrumentState state)
        {
            return;
        }

        var labels = LabelText(tags);
        var series = state.Series.GetOrAdd(labels, static (_, s) => new Series(s.Bounds.Length), state);
        lock (series)
        {
            if (state.Kind == PrometheusKind.Histogram)
            {
                // Prometheus buckets are inclusive upper bounds: value <= le.
                var index = Array.FindIndex(state.Bounds, b => value <= b);
                series.BucketCounts[index < 0 ? state.Bounds.Length : index]++;
                series.Sum += value;
                series.Count++;
            }
            else if (state.Sets)
            {
                series.Value = value;
            }
            else
            {
                series.Value += value;
            }
        }
    }

    private static string LabelText(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            pairs[i] = new(
                PrometheusNaming.LabelName(tags[i].Key),
                Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
        }

        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var builder = new StringBuilder();
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(pairs[i].Key).Append("=\"").Append(PrometheusNaming.EscapeLabelValue(pairs[i].Value)).Append('"');
        }

        return builder.ToString();
    }

    private static void WriteFamily(StringBuilder builder, InstrumentState state)
    {
        var type = state.Kind switch
        {
            PrometheusKind.Counter => "counter",
            PrometheusKind.Histogram => "histogram",
            _ => "gauge",
        };
        builder.Append("# HELP ").Append(state.Name).Append(' ').Append(PrometheusNaming.EscapeHelp(state.Help)).Append('\n');
        builder.Append("# TYPE ").Append(state.Name).Append(' ').Append(type).Append('\n');

        foreach (var (labels, series) in state.Series.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            lock (series)
            {
                if (state.Kind != PrometheusKind.Histogram)
                {
                    WriteSample(builder, state.Name, labels, null, series.Value);
                    continue;
                }

                long cumulative = 0;
                for (var i = 0; i < state.Bounds.Length; i++)
                {
                    cumulative += series.BucketCounts[i];
                    WriteSample(builder, state.Name + "_bucket", labels, PrometheusNaming.FormatValue(state.Bounds[i]), cumulative);
                }

                cumulative += series.BucketCounts[state.Bounds.Length];
                WriteSample(builder, state.Name + "_bucket", labels, "+Inf", cumulative);
                WriteSample(builder, state.Name + "_sum", labels, null, series.Sum);
                WriteSample(builder, state.Name + "_count", labels, null, series.Count);
            }
        }
    }

    private static void WriteSample(StringBuilder builder, string name, string labels, string? le, double value)
    {
        builder.Append(name);
        if (labels.Length > 0 || le is not null)
        {
            builder.Append('{').Append(labels);
            if (le is not null)
            {
                builder.Append(labels.Length > 0 ? "," : "").Append("le=\"").Append(le).Append('"');
            }

            builder.Append('}');
        }

        builder.Append(' ').Append(PrometheusNaming.FormatValue(value)).Append('\n');
    }

    private sealed class InstrumentState(string name, string help, PrometheusKind kind, bool isObservable, bool sets, double[] bounds)
    {
        public string Name { get; } = name;

        public string Help { get; } = help;

        public PrometheusKind Kind { get; } = kind;

        public bool IsObservable { get; } = isObservable;

        /// <summary>Whether a measurement replaces the value (gauges, observed totals) rather than adding to it.</summary>
        public bool Sets { get; } = sets;

        public double[] Bounds { get; } = bounds;

        public ConcurrentDictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Series(int boundCount)
    {
        public double Value { get; set; }

        public long[] BucketCounts { get; } = new long[boundCount + 1];

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
