namespace SweepCluster.Telemetry;

/// <summary>One silo's slots, busy and free, as the coordinator sees them.</summary>
/// <param name="SiloId">The silo's id (label <c>silo</c>).</param>
/// <param name="Busy">Slots running an attempt.</param>
/// <param name="Free">Slots ready for work.</param>
public readonly record struct SiloSlotUsage(string SiloId, int Busy, int Free);
