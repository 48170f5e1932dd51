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

        // Small CPU trials scale poorly past a few threads: two one-thread trials side by side on two cores finished
        // 1.33x sooner than the same two run one after the other on two threads each (24.1 s against 32.2 s, median of
        // three pairs, benchmarks/cpu-slots.sh). So up to 4 cores get a one-thread slot per core, bigger machines 4 slots,
        // and past 16 cores one slot per 4 cores.
        var cores = Environment.ProcessorCount;
        var count = cpuSlots ?? DefaultCpuSlots(cores);
        var perSlot = threads ?? Math.Max(1, cores / count);
        return (SlotDescription.CpuSlots(count), perSlot, $"{count} CPU slot(s) x {perSlot} thread(s)");
    }

    /// <summary>The CPU slots a machine with <paramref name="cores"/> cores gets when none are asked for.</summary>
    public static int DefaultCpuSlots(int cores) => cores <= 4 ? Math.Max(1, cores) : Math.Max(4, cores / 4);
}
