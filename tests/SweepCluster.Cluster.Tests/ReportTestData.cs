using System.Globalization;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

/// <summary>Trial records as the store would return them, for the report tests.</summary>
internal static class ReportTestData
{
    private static int _next;

    public static SweepRecord Sweep(string name = "seed-test-matrix") =>
        new(TestData.Sweep(name: name), TestData.T0, null, new Dictionary<TrialState, int>());

    public static string Summary(double gain = 5, double leakage = 0.05, bool goingDown = true, double psnr = 27, double ssim = 0.8,
        double crossLoss = 0.08, double slope = -0.1, double leakageRecon = 0.7, double z = 0.004, string extra = "") =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"scalars":{"psnr_cross":{{psnr}},"ssim_cross":{{ssim}},"psnr_gain_cross":{{gain}},"leakage_cross":{{leakage}},"leakage_recon":{{leakageRecon}},"cross_loss_final":{{crossLoss}},"cross_slope":{{slope}},"cross_going_down":{{(goingDown ? 1 : 0)}},"z_distance":{{z}}{{extra}}},"supervised":false}""");

    /// <summary>
    /// A summary with the reference scalars every trial now measures: the noisy input at <paramref name="noisy"/> dB, the
    /// classical filter at <paramref name="classical"/> dB, and the cross loss against its floor.
    /// </summary>
    public static string ReferenceSummary(double psnr, double noisy = 22, double classical = 25, double leakage = 0.05, bool goingDown = true,
        double crossLoss = 0.2, double floor = 0.13, bool belowFloor = false, double decrease = 0.4, double decreaseErr = 0.05) =>
        Summary(psnr: psnr, gain: psnr - noisy, leakage: leakage, goingDown: goingDown, crossLoss: crossLoss, extra: string.Create(CultureInfo.InvariantCulture,
            $$""","psnr_noisy":{{noisy}},"ssim_noisy":0.5,"leakage_noisy":1,"psnr_classical":{{classical}},"ssim_classical":0.7,"leakage_classical":0.3,"classical_sigma":1.25,"noise_floor_cross":{{floor}},"cross_excess_final":{{crossLoss - floor}},"cross_excess_rel_decrease":{{decrease}},"cross_excess_rel_decrease_err":{{decreaseErr}},"cross_below_floor":{{(belowFloor ? 1 : 0)}}"""));

    /// <summary>A supervised cross reference trial: its config's <c>trainer.mode</c> says so.</summary>
    public static TrialRecord Reference(int order, long seed, string summary) =>
        Trial("reference: supervised_cross", order, seed, summary: summary, parameters: """{"trainer.mode":"supervised_cross"}""", expect: "", expectedVerdict: null,
            configJson: """{"seed":0,"trainer":{"mode":"supervised_cross"}}""");

    /// <summary>A trial that failed for good, its last attempt's error being <paramref name="error"/>.</summary>
    public static TrialRecord Failed(string config, int order, long seed, string error)
    {
        var trial = Trial(config, order, seed, TrialState.Failed);
        var attempt = new AttemptSnapshot(1, AttemptState.Failed, "silo-a", ["cpu0"], TestData.T0, TestData.T0, error, null);
        return trial with { Snapshot = trial.Snapshot with { Attempt = attempt } };
    }

    public static TrialRecord Trial(string config, int order, long seed, TrialState state = TrialState.Succeeded, string? summary = null,
        string parameters = """{"trainer.cross_domain_strategy":"no_skip","trainer.loss_weights.recon":0.5}""", string expect = "pass? test this!",
        string? expectedVerdict = "pass", string configJson = "{}")
    {
        var id = $"{config}-s{seed}-{Interlocked.Increment(ref _next)}";
        var definition = new NewTrial(id, config, "key-" + config, seed, parameters, expect, expectedVerdict, configJson, ResourceRequest.Cpu, 3, 0, order);
        var snapshot = new TrialSnapshot(id, "sweep-1", state, state == TrialState.Pending ? 0 : 1, 3, 0, order, TestData.T0, ResourceRequest.Cpu,
            null, null, state == TrialState.Succeeded ? summary ?? Summary() : null, null);
        return new TrialRecord(definition, snapshot);
    }
}
