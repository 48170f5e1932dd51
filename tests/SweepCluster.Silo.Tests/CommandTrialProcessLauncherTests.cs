using SweepCluster.Silo.Processes;
using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo.Tests;

[Trait("Category", "Unit")]
public sealed class CommandTrialProcessLauncherTests
{
    private static AttemptAssignment Assignment(params SlotDescription[] slots) =>
        new("trial-1", "sweep-1", "config", 2, slots);

    [Fact]
    public void Gpu_attempt_sees_only_its_gpus_and_runs_on_the_first_visible_one()
    {
        var request = new TrialLaunchRequest(Assignment(SlotDescription.Gpu(3, "H100", 80), SlotDescription.Gpu(5, "H100", 80)), "/w/config.json", "/w", "/w/resume.ckpt", null);
        var info = CommandTrialProcessLauncher.BuildStartInfo(["/usr/bin/dotnet", "/opt/sweepcluster.dll"], request);

        Assert.Equal("/usr/bin/dotnet", info.FileName);
        Assert.Equal(["/opt/sweepcluster.dll", "trial-run", "--config", "/w/config.json", "--out", "/w", "--resume", "/w/resume.ckpt", "--device", "cuda:0"], info.ArgumentList);
        Assert.Equal("3,5", info.Environment["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal("2", info.Environment["SWEEPCLUSTER_ATTEMPT"]);
    }

    [Fact]
    public void Cpu_attempt_sees_no_gpu_and_gets_its_thread_count()
    {
        var request = new TrialLaunchRequest(Assignment(SlotDescription.CpuSlots(1)[0]), "/w/c.json", "/w", null, 4);
        var info = CommandTrialProcessLauncher.BuildStartInfo(["sweepcluster"], request);

        Assert.Equal(["trial-run", "--config", "/w/c.json", "--out", "/w", "--device", "cpu", "--threads", "4"], info.ArgumentList);
        Assert.Equal(string.Empty, info.Environment["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal("4", info.Environment["OMP_NUM_THREADS"]);
    }
}
