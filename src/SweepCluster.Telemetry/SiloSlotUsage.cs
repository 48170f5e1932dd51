namespace SweepCluster.Telemetry;

/// <summary>One silo's slots and the age of its last heartbeat, as the coordinator sees them.</summary>
/// <param name="SiloId">The silo's id (label <c>silo</c>).</param>
/// <param name="Busy">Slots running an attempt.</param>
/// <param name="Free">Slots ready for work.</param>
/// <param name="HeartbeatAge">Time since the silo's last heartbeat; exported as <c>sweepcluster_silo_heartbeat_age_seconds</c>.</param>
public readonly record struct SiloSlotUsage(string SiloId, int Busy, int Free, TimeSpan HeartbeatAge);
