using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Tests;

/// <summary>Builders for the records the tests need, with defaults that say nothing surprising.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static NewSweep Sweep(string id = "sweep-1", string name = "skip-ablation") =>
        new(id, name, "does the skip mode matter", "Which cross-domain skip strategy leaks the least noise?", "psnr",
            ObjectiveGoal.Maximize, "name: skip-ablation\n", T0);

    public static NewTrial Trial(string id, int maxAttempts = 3, int priority = 0, int order = 0, ResourceRequest? resources = null) =>
        new(id, $"config-{id}", $"key-{id}", 1, """{"skip":"concat"}""", "no leakage", "better",
            $$"""{"trial":"{{id}}","epochs":2}""", resources ?? ResourceRequest.Cpu, maxAttempts, priority, order);

    public static SiloInfo CpuSilo(string id, int slots = 2, IReadOnlyDictionary<string, string>? labels = null) =>
        new(id, $"host-{id}", labels ?? new Dictionary<string, string>(),
            [.. Enumerable.Range(0, slots).Select(i => new SlotInfo($"cpu{i}", null, null, 0))]);

    public static SiloInfo GpuSilo(string id, params double[] memoryGiB) =>
        new(id, $"host-{id}", new Dictionary<string, string>(),
            [.. memoryGiB.Select((m, i) => new SlotInfo($"gpu{i}", i, "H100", m))]);

    public static TrialSnapshot Pending(string id = "t1", int maxAttempts = 3, string? checkpoint = null) =>
        new(id, "sweep-1", TrialState.Pending, 0, maxAttempts, 0, 0, T0, ResourceRequest.Cpu, null, "submitted", null, checkpoint);

    public static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
}
