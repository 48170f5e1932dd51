using SweepCluster.Denoising.Runtime;
using SweepCluster.Silo.Wire;

namespace SweepCluster.Cli;

/// <summary>Decides the local silo's slots: one per GPU, else CPU slots sharing the cores.</summary>
internal static class SlotPlanner
{
    public static (IReadOnlyList<SlotDescription> Slots, int? ThreadsPerSlot, string Description) Plan(int? cpuSlots, int? threads)
    {
        var gpus = CudaDevices.List();
        if (gpus.Count > 0 && cpuSlots is null)
        {
            var slots = gpus.Select(g => SlotDescription.Gpu(g.Index, g.Name.Length > 0 ? g.Name : $"cuda:{g.Index}", g.TotalMemory / (1024.0 * 1024 * 1024))).ToList();
            return (slots, threads, $"{slots.Count} GPU slot(s): {string.Join(", ", gpus.Select(g => g.Name))}");
        }

        // Small CPU trials scale poorly past a few threads, so big machines get several slots.
        var cores = Environment.ProcessorCount;
        var count = cpuSlots ?? Math.Max(1, cores / 4);
        var perSlot = threads ?? Math.Max(1, cores / count);
        return (SlotDescription.CpuSlots(count), perSlot, $"{count} CPU slot(s) x {perSlot} thread(s)");
    }
}
