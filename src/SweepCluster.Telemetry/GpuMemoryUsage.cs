namespace SweepCluster.Telemetry;

/// <summary>GPU memory in use on one slot of a silo, observed by the <c>sweepcluster.gpu.memory.used</c> gauge.</summary>
/// <param name="SiloId">The silo's id (label <c>silo</c>).</param>
/// <param name="Slot">The slot's name, e.g. <c>cuda:0</c> (label <c>slot</c>).</param>
/// <param name="UsedBytes">Bytes of device memory in use.</param>
public readonly record struct GpuMemoryUsage(string SiloId, string Slot, long UsedBytes);
