using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SweepCluster.Telemetry;

namespace SweepCluster.Cluster.Tests;

/// <summary>Listens to the SweepCluster meter and keeps every measurement whose tags carry <paramref name="sweepId"/>.</summary>
internal sealed class MeterCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, IReadOnlyDictionary<string, string> Tags)> _seen = new();

    public MeterCapture(string sweepId)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SweepClusterTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(sweepId, instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(sweepId, instrument.Name, value, tags));
        _listener.Start();
    }

    /// <summary>The measurements of one instrument, in order, each with its tags.</summary>
    public IReadOnlyList<(double Value, IReadOnlyDictionary<string, string> Tags)> Of(string instrument) =>
        [.. _seen.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags))];

    public void Dispose() => _listener.Dispose();

    private void Keep(string sweepId, string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value?.ToString() ?? "";
        }

        if (map.TryGetValue("sweep", out var sweep) && sweep == sweepId)
        {
            _seen.Enqueue((instrument, value, map));
        }
    }
}
