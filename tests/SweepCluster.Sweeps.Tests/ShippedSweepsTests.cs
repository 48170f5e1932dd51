using SweepCluster.Sweeps;

namespace SweepCluster.Sweeps.Tests;

[Trait("Category", "Unit")]
public sealed class ShippedSweepsTests
{
    private static string SweepsFolder => Path.Combine(AppContext.BaseDirectory, "sweeps");

    public static TheoryData<string, string> FilesAndProfiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(SweepsFolder, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file), "cpu");
            data.Add(Path.GetFileName(file), "gpu");
        }

        return data;
    }

    private static SweepExpansion Expand(string file, string profile)
    {
        var loaded = SweepLoader.Load(Path.Combine(SweepsFolder, file), FakeTrialConfigSchema.Instance);
        Assert.True(loaded.Success, string.Join("\n", loaded.Errors));
        var expansion = SweepExpander.Expand(loaded.Spec, profile, FakeTrialConfigSchema.Instance);
        Assert.True(expansion.Success, string.Join("\n", expansion.Errors));
        Assert.Empty(expansion.Notes);
        return expansion;
    }

    [Fact]
    public void All_seven_sweeps_ship()
    {
        Assert.Equal(
            ["architectures.yaml", "data-hypothesis.yaml", "latent-capacity.yaml", "loss-weights.yaml", "progressive.yaml", "seed-test-matrix.yaml", "skip-strategies.yaml"],
            Directory.GetFiles(SweepsFolder, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FilesAndProfiles))]
    public void Shipped_sweep_loads_and_expands_with_its_profiles(string file, string profile)
    {
        var expansion = Expand(file, profile);

        Assert.NotEmpty(expansion.Trials);
        Assert.All(expansion.Trials, t => Assert.Equal(profile == "cpu" ? "cpu" : "cuda", t.Config["device"]!.GetValue<string>()));
    }

    [Fact]
    public void Seed_test_matrix_has_the_notes_four_rows_and_expectations()
    {
        var cpuAll = Expand("seed-test-matrix.yaml", "cpu").Trials;
        var gpuAll = Expand("seed-test-matrix.yaml", "gpu").Trials;

        // The supervised cross reference runs first, once per seed, apart from the rows.
        Assert.Equal("reference: supervised_cross", cpuAll[0].ConfigName);
        Assert.Equal(SweepReference.SupervisedCross, cpuAll[0].Reference);
        Assert.Equal("supervised_cross", cpuAll[0].Config["trainer"]!["mode"]!.GetValue<string>());
        Assert.Equal(3, gpuAll.Count(t => t.Reference is not null));
        var cpu = cpuAll.Where(t => t.Reference is null).ToList();
        var gpu = gpuAll.Where(t => t.Reference is null).ToList();

        Assert.Equal(["original", "original_repo", "no_skip", "no_skip_everywhere", "pure_n2n"], cpu.Select(t => t.ConfigName));
        Assert.Equal(
            [ExpectedVerdict.Fail, ExpectedVerdict.Fail, ExpectedVerdict.Fail, ExpectedVerdict.Pass, ExpectedVerdict.Partial],
            cpu.Select(t => t.Expect!.Verdict!.Value));
        Assert.Equal("fail (noise leak)", cpu[0].Expect!.Text);
        Assert.Equal(15, gpu.Count);
        Assert.Equal(5, gpu.Select(t => t.ConfigKey).Distinct().Count());

        // The notes' original gets the target's skips; the public implementation's original the input's, with its semantics.
        Assert.Equal("target", cpu[0].Config["trainer"]!["cross_skips"]!.GetValue<string>());
        var repo = cpu[1].Config;
        Assert.Equal("input", repo["trainer"]!["cross_skips"]!.GetValue<string>());
        Assert.Equal("median", repo["trainer"]!["cross_loss_scale"]!.GetValue<string>());
        Assert.Equal("adamw", repo["trainer"]!["optimizer"]!.GetValue<string>());
        Assert.Equal("half_input", repo["model"]!["missing_skip_width"]!.GetValue<string>());
        Assert.Equal("repo", cpu[1].Parameters["preset"]!.GetValue<string>());
        Assert.Equal(cpu[0].Config["data"]!.ToJsonString(), repo["data"]!.ToJsonString());

        var small = cpu[3].Config;
        var large = gpu.First(t => t.ConfigName == "no_skip_everywhere").Config;
        Assert.Equal(64, small["model"]!["decoder_b"]!["latent_channels"]!.GetValue<long>());
        Assert.Equal(32, cpu[0].Config["model"]!["encoder"]!["latent_channels"]!.GetValue<long>());
        Assert.Equal(512, large["model"]!["decoder_a"]!["latent_channels"]!.GetValue<long>());
        Assert.Equal("[512,256,128]", large["model"]!["decoder_a"]!["features"]!.ToJsonString());
        Assert.Equal(0.05, large["trainer"]!["loss_weights"]!["recon"]!.GetValue<double>());
        Assert.False(large["trainer"]!["same_domain_use_skip"]!.GetValue<bool>());
        // The CPU profile stays a laptop run: small images and at most 512 steps per trial.
        Assert.True(small["data"]!["image_size"]!.GetValue<long>() <= 48);
        var steps = small["data"]!["train_samples"]!.GetValue<long>() / small["data"]!["batch_size"]!.GetValue<long>() * small["trainer"]!["epochs"]!.GetValue<long>();
        Assert.InRange(steps, 1, 512);
    }

    [Theory]
    [InlineData("architectures.yaml")]
    [InlineData("loss-weights.yaml")]
    [InlineData("progressive.yaml")]
    [InlineData("seed-test-matrix.yaml")]
    [InlineData("skip-strategies.yaml")]
    public void Sweeps_with_a_test_matrix_ask_for_all_three_references(string file)
    {
        var loaded = SweepLoader.Load(Path.Combine(SweepsFolder, file), FakeTrialConfigSchema.Instance);

        Assert.Equal([SweepReference.NoisyInput, SweepReference.Classical, SweepReference.SupervisedCross], loaded.Spec!.References);
    }

    [Fact]
    public void Architectures_guard_the_skip_weight_grid_with_when()
    {
        var trials = Expand("architectures.yaml", "cpu").Trials.Where(t => t.Reference is null).ToList();

        Assert.Equal(7, trials.Count);
        Assert.Equal(3, trials.Count(t => t.ConfigName.StartsWith("additive_skips skip_weight=", StringComparison.Ordinal)));
    }
}
