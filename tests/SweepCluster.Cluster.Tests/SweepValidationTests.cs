namespace SweepCluster.Cluster.Tests;

/// <summary>What a submission must satisfy before anything is stored (the sweep grain and the coordinator both check it).</summary>
[Trait("Category", "Unit")]
public sealed class SweepValidationTests
{
    public static TheoryData<string, NewSweep, NewTrial[], string> Invalid => new()
    {
        { "blank sweep id", TestData.Sweep(id: " "), [TestData.Trial("t1")], "needs an id and a name" },
        { "blank sweep name", TestData.Sweep(name: ""), [TestData.Trial("t1")], "needs an id and a name" },
        { "duplicate trial", TestData.Sweep(), [TestData.Trial("t1"), TestData.Trial("t1", order: 1)], "lists trial t1 twice" },
        { "blank trial id", TestData.Sweep(), [TestData.Trial("t1") with { Id = "" }], "has no id" },
        { "no attempts", TestData.Sweep(), [TestData.Trial("t1", maxAttempts: 0)], "allows 0 attempts; at least 1 is needed" },
        { "negative GPUs", TestData.Sweep(), [TestData.Trial("t1", resources: new ResourceRequest(-1, 0, TestData.Labels()))], "asks for -1 GPUs" },
        { "negative GPU memory", TestData.Sweep(), [TestData.Trial("t1", resources: new ResourceRequest(1, -2, TestData.Labels()))], "asks for -2 GiB of GPU memory" },
        { "configuration not JSON", TestData.Sweep(), [TestData.Trial("t1") with { ConfigJson = "{not json" }], "configuration that is not valid JSON" },
        { "blank configuration", TestData.Sweep(), [TestData.Trial("t1") with { ConfigJson = " " }], "configuration that is not valid JSON" },
        { "parameters not JSON", TestData.Sweep(), [TestData.Trial("t1") with { ParametersJson = "skip=concat" }], "parameters that are not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_submission_is_refused_saying_why(string what, NewSweep sweep, NewTrial[] trials, string reason)
    {
        var refusal = SweepValidation.Validate(sweep, trials);

        Assert.True(refusal is not null, $"{what} was accepted");
        Assert.Equal(RefusalKind.Invalid, refusal.Kind);
        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_submission_passes_and_so_does_one_without_trials()
    {
        Assert.Null(SweepValidation.Validate(TestData.Sweep(), [TestData.Trial("t1"), TestData.Trial("t2", order: 1, resources: ResourceRequest.Gpu(2, 40))]));
        Assert.Null(SweepValidation.Validate(TestData.Sweep(), []));
    }

    [Fact]
    public void The_refusal_names_the_trial_and_its_configuration()
    {
        var refusal = SweepValidation.Validate(TestData.Sweep(), [TestData.Trial("t1"), TestData.Trial("t2", maxAttempts: 0, order: 1)]);

        Assert.Equal("Trial t2 (config-t2) of sweep skip-ablation allows 0 attempts; at least 1 is needed.", refusal?.Message);
    }
}
