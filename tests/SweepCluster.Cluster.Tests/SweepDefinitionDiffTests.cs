using SweepCluster.Cluster.Revisions;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class SweepDefinitionDiffTests
{
    private static readonly NewTrial[] Three = [TestData.Trial("a", order: 0), TestData.Trial("b", order: 1), TestData.Trial("c", order: 2)];

    public static TheoryData<string, Func<NewTrial, NewTrial>> TrialEdits => new()
    {
        { "config name", t => t with { ConfigName = "renamed" } },
        { "config key", t => t with { ConfigKey = "other-key" } },
        { "seed", t => t with { Seed = 7 } },
        { "parameters", t => t with { ParametersJson = """{"skip":"none"}""" } },
        { "expectation", t => t with { Expect = "leaks" } },
        { "expected verdict", t => t with { ExpectedVerdict = null } },
        { "config", t => t with { ConfigJson = """{"trial":"a","epochs":3}""" } },
        { "resources", t => t with { Resources = new ResourceRequest(0, 0, TestData.Labels(("zone", "b"))) } },
        { "max attempts", t => t with { MaxAttempts = 5 } },
        { "priority", t => t with { Priority = 2 } },
        { "order", t => t with { OrderIndex = 9 } },
    };

    public static TheoryData<string, Func<NewSweep, NewSweep>> SweepEdits => new()
    {
        { "name", s => s with { Name = "renamed" } },
        { "description", s => s with { Description = "something else" } },
        { "question", s => s with { Question = "A different question?" } },
        { "objective metric", s => s with { ObjectiveMetric = "ssim" } },
        { "objective goal", s => s with { ObjectiveGoal = ObjectiveGoal.Minimize } },
        { "sweep text", s => s with { SweepText = "name: skip-ablation\n# a comment counts\n" } },
    };

    [Fact]
    public void The_same_definition_is_the_same_whenever_it_was_created()
    {
        var diff = SweepDefinitionDiff.Compare(TestData.Sweep(), Three, TestData.Sweep() with { CreatedAt = TestData.T0.AddDays(1) }, Three);

        Assert.True(diff.IsSame);
        Assert.Equal(["a", "b", "c"], diff.Kept);
        Assert.Empty(diff.DescribeChanges());
    }

    [Fact]
    public void Trials_are_matched_by_id_into_added_removed_and_kept_each_in_its_definitions_order()
    {
        NewTrial[] after = [TestData.Trial("d", order: 0), TestData.Trial("c", order: 1), TestData.Trial("e", order: 2), TestData.Trial("a", order: 3)];

        var diff = SweepDefinitionDiff.Compare(TestData.Sweep(), Three, TestData.Sweep(), after);

        Assert.False(diff.IsSame);
        Assert.Equal(["d", "e"], diff.Added);
        Assert.Equal(["b"], diff.Removed);
        Assert.Equal(["c", "a"], diff.Kept);
        Assert.Equal(["order"], diff.TrialFields["c"]);
        Assert.Equal(["order"], diff.TrialFields["a"]);
        Assert.Equal(["order of 2 trials"], diff.DescribeChanges());
    }

    [Theory]
    [MemberData(nameof(TrialEdits))]
    public void A_kept_trial_whose_definition_differs_names_the_field(string field, Func<NewTrial, NewTrial> edit)
    {
        NewTrial[] after = [edit(Three[0]), Three[1], Three[2]];

        var diff = SweepDefinitionDiff.Compare(TestData.Sweep(), Three, TestData.Sweep(), after);

        Assert.False(diff.IsSame);
        Assert.Equal([field], diff.TrialFields["a"]);
        Assert.Equal([$"{field} of 1 trial"], diff.DescribeChanges());
        Assert.Empty(diff.Added);
        Assert.Empty(diff.Removed);
    }

    [Theory]
    [MemberData(nameof(SweepEdits))]
    public void A_sweep_field_that_differs_is_named(string field, Func<NewSweep, NewSweep> edit)
    {
        var diff = SweepDefinitionDiff.Compare(TestData.Sweep(), Three, edit(TestData.Sweep()), Three);

        Assert.False(diff.IsSame);
        Assert.Equal([field], diff.SweepFields);
        Assert.Equal([field], diff.DescribeChanges());
    }

    [Fact]
    public void Line_endings_trailing_white_space_and_final_blank_lines_of_the_sweep_text_do_not_count()
    {
        var before = TestData.Sweep() with { SweepText = "name: skip-ablation\nquestion: why?\n" };
        var after = TestData.Sweep() with { SweepText = "\uFEFFname: skip-ablation  \r\nquestion: why?\t\r\n\r\n\n" };

        Assert.True(SweepDefinitionDiff.Compare(before, Three, after, Three).IsSame);
        Assert.Equal("name: skip-ablation\nquestion: why?", SweepDefinitionDiff.CanonicalText(after.SweepText));
        Assert.False(SweepDefinitionDiff.Compare(before, Three, after with { SweepText = "name: skip-ablation\nquestion:  why?\n" }, Three).IsSame);
    }

    [Fact]
    public void Json_fields_compare_as_values_with_their_member_order()
    {
        NewTrial[] spaced = [Three[0] with { ParametersJson = """{ "skip" : "concat" }""", ConfigJson = "{\n  \"trial\": \"a\",\n  \"epochs\": 2\n}" }, Three[1], Three[2]];
        NewTrial[] reordered = [Three[0] with { ConfigJson = """{"epochs":2,"trial":"a"}""" }, Three[1], Three[2]];

        Assert.True(SweepDefinitionDiff.Compare(TestData.Sweep(), Three, TestData.Sweep(), spaced).IsSame);
        Assert.Equal(["config"], SweepDefinitionDiff.Compare(TestData.Sweep(), Three, TestData.Sweep(), reordered).TrialFields["a"]);
    }

    [Fact]
    public void Changes_are_described_sweep_fields_first_then_each_trial_field_with_its_count()
    {
        NewTrial[] after = [Three[0] with { Expect = "x" }, Three[1] with { Expect = "y", Priority = 3 }, Three[2]];

        var diff = SweepDefinitionDiff.Compare(TestData.Sweep(), Three, TestData.Sweep() with { Question = "Why?" }, after);

        Assert.Equal(["question", "expectation of 2 trials", "priority of 1 trial"], diff.DescribeChanges());
    }
}
