using System.Diagnostics.Metrics;

namespace SweepCluster.Telemetry;

/// <summary>One of our observable gauges: its instrument, the label keys of its measurements and the label values it reports now.</summary>
/// <param name="Instrument">The observable gauge.</param>
/// <param name="LabelKeys">The tag keys every measurement carries.</param>
/// <param name="CurrentSeries">Reads the gauge's source now: one array of label values (in <paramref name="LabelKeys"/>' order) per series.</param>
internal sealed record ObservedGauge(Instrument Instrument, string[] LabelKeys, Func<IEnumerable<string[]>> CurrentSeries);
