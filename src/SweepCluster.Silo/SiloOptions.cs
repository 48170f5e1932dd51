using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo;

/// <summary>What the silo's runner offers, where it works and how it reports.</summary>
public sealed record SiloOptions
{
    /// <summary>The silo's name in logs and metrics (placements name it by its Orleans address).</summary>
    public required string SiloId { get; init; }

    /// <summary>Labels trials can require (<c>resources.labels</c> in a sweep), published with the slots.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The slots offered (discovered by the caller: GPUs through the Torch binding, or CPU slots).</summary>
    public required IReadOnlyList<SlotDescription> Slots { get; init; }

    /// <summary>Attempt directories are created under it (<c>&lt;trial&gt;/attempt-&lt;n&gt;</c>).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Metric points are forwarded once this many are buffered...</summary>
    public int MetricBatchSize { get; init; } = 200;

    /// <summary>...or once the oldest buffered point is this old.</summary>
    public TimeSpan MetricFlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Standard-error lines kept as a failed attempt's message.</summary>
    public int StderrTailLines { get; init; } = 20;

    /// <summary>Threads per CPU attempt; by default the machine's cores shared among the CPU slots.</summary>
    public int? ThreadsPerCpuSlot { get; init; }

    /// <summary>
    /// How long a placement on a busy slot waits for the slot's attempt to end (it is most often delivering its last
    /// report) before the new attempt is refused and fails.
    /// </summary>
    public TimeSpan BusySlotWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the child of an attempt that was stopped (its trial cancelled or pruned) has, after SIGTERM, to end at
    /// its next step before it is killed. Shorter than <see cref="BusySlotWait"/>, so the next trial placed on the slot
    /// finds it free.
    /// </summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a shutting-down silo tries to deliver its attempts' last reports.</summary>
    public TimeSpan ShutdownReportTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a child ended by SIGINT or SIGTERM waits for the silo's own shutdown (the signal reaches both) before
    /// its end counts as the attempt's failure.
    /// </summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Receives the silo's log lines (attempt starts, ends, errors). Never receives tokens.</summary>
    public Action<string>? Log { get; init; }
}
