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
        double crossLoss = 0.08, double slope = -0.1, double leakageRecon = 0.7, double z = 0.004) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"scalars":{"psnr_cross":{{psnr}},"ssim_cross":{{ssim}},"psnr_gain_cross":{{gain}},"leakage_cross":{{leakage}},"leakage_recon":{{leakageRecon}},"cross_loss_final":{{crossLoss}},"cross_slope":{{slope}},"cross_going_down":{{(goingDown ? 1 : 0)}},"z_distance":{{z}}},"supervised":false}""");

    public static TrialRecord Trial(string config, int order, long seed, TrialState state = TrialState.Succeeded, string? summary = null,
        string parameters = """{"trainer.cross_domain_strategy":"no_skip","trainer.loss_weights.recon":0.5}""", string expect = "pass? test this!",
        string? expectedVerdict = "pass")
    {
        var id = $"{config}-s{seed}-{Interlocked.Increment(ref _next)}";
        var definition = new NewTrial(id, config, "key-" + config, seed, parameters, expect, expectedVerdict, "{}", ResourceRequest.Cpu, 3, 0, order);
        var snapshot = new TrialSnapshot(id, "sweep-1", state, state == TrialState.Pending ? 0 : 1, 3, 0, order, TestData.T0, ResourceRequest.Cpu,
            null, null, state == TrialState.Succeeded ? summary ?? Summary() : null, null);
        return new TrialRecord(definition, snapshot);
    }
}
