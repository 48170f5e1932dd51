using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo;

/// <summary>Who the silo is, what it offers, where it works and how often it talks to the coordinator.</summary>
public sealed record SiloOptions
{
    /// <summary>Stable across restarts of the same machine, so a restarted silo re-registers as itself.</summary>
    public required string SiloId { get; init; }

    public string? Name { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The slots offered (discovered by the caller: GPUs through the Torch binding, or CPU slots).</summary>
    public required IReadOnlyList<SlotDescription> Slots { get; init; }

    /// <summary>Attempt directories are created under it (<c>&lt;trial&gt;/attempt-&lt;n&gt;</c>).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Take work from this sweep only (the embedded run of one sweep file); null for any sweep.</summary>
    public string? OnlySweepId { get; init; }

    /// <summary>How long one claim waits on the coordinator for work.</summary>
    public TimeSpan ClaimWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause after a claim that failed, before the next.</summary>
    public TimeSpan ClaimErrorDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Several heartbeats must fit in the coordinator's lease TTL.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Metric points are forwarded once this many are buffered...</summary>
    public int MetricBatchSize { get; init; } = 200;

    /// <summary>...or once the oldest buffered point is this old.</summary>
    public TimeSpan MetricFlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Standard-error lines kept as a failed attempt's message.</summary>
    public int StderrTailLines { get; init; } = 20;

    /// <summary>Threads per CPU attempt; by default the machine's cores shared among the CPU slots.</summary>
    public int? ThreadsPerCpuSlot { get; init; }

    /// <summary>How long a shutting-down silo tries to report its killed attempts as failed.</summary>
    public TimeSpan ShutdownReportTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Receives the silo's log lines (attempt starts, ends, errors). Never receives tokens.</summary>
    public Action<string>? Log { get; init; }
}
