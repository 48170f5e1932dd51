using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SweepCluster.Telemetry;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// Reads the coordinator's own claim-duration instrument (<c>sweepcluster.claim.duration</c>, the
/// histogram behind <c>/metrics</c>) in-process, keeping every observation made while recording, so
/// exact percentiles can be printed rather than bucket bounds.
/// </summary>
internal sealed class ClaimHistogramListener : IDisposable
{
    private const string InstrumentName = "sweepcluster.claim.duration";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<double> _milliseconds = new();
    private bool _recording;

    public ClaimHistogramListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SweepClusterTelemetry.Name && instrument.Name == InstrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            if (Volatile.Read(ref _recording))
            {
                _milliseconds.Enqueue(seconds * 1000);
            }
        });
        _listener.Start();
    }

    public bool IsRecording
    {
        get => Volatile.Read(ref _recording);
        set => Volatile.Write(ref _recording, value);
    }

    /// <summary>Server-side claim durations (ms): one per store claim, including those that found nothing.</summary>
    public IReadOnlyList<double> Milliseconds => [.. _milliseconds];

    public void Dispose() => _listener.Dispose();
}
