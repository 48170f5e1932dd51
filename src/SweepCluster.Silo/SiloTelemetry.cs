using System.Collections.Concurrent;
using SweepCluster.Silo.Wire;
using SweepCluster.Telemetry;

namespace SweepCluster.Silo;

/// <summary>
/// Turns the wall-clock facts a trial reports about itself (docs/trial-protocol.md: <c>time.step_s</c>,
/// <c>gpu.memory_allocated_bytes</c>) into the silo's step-duration histogram and GPU-memory gauge:
/// the trainer runs in a child process, so its own meter is not the one this silo serves.
/// </summary>
internal static class SiloTelemetry
{
    private const string StepTime = "time.step_s";
    private const string GpuMemory = "gpu.memory_allocated_bytes";

    private static readonly ConcurrentDictionary<(string Silo, string Slot), long> GpuBytes = new();
    private static int _sourceSet;

    public static void Observe(string siloId, IReadOnlyList<SlotDescription> slots, string name, double value)
    {
        if (!double.IsFinite(value))
        {
            // A diverged run's NaN is stored with its points; it is no duration and no byte count.
            return;
        }

        if (name == StepTime)
        {
            SweepClusterTelemetry.RecordTrainStep(slots.Any(s => s.IsGpu) ? "cuda" : "cpu", TimeSpan.FromSeconds(value));
        }
        else if (name == GpuMemory)
        {
            foreach (var slot in slots.Where(s => s.IsGpu))
            {
                GpuBytes[(siloId, slot.Id)] = (long)value;
            }

            if (Interlocked.Exchange(ref _sourceSet, 1) == 0)
            {
                SweepClusterTelemetry.SetGpuMemorySource(() => GpuBytes.Select(p => new GpuMemoryUsage(p.Key.Silo, p.Key.Slot, p.Value)).ToList());
            }
        }
    }
}
