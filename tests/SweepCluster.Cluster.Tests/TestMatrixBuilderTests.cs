using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Reports;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class TestMatrixBuilderTests
{
    [Fact]
    public void Seeds_of_a_configuration_are_aggregated_as_mean_and_sample_standard_deviation()
    {
        TrialRecord[] trials =
        [
            ReportTestData.Trial("a", 0, 0, summary: ReportTestData.Summary(psnr: 27, gain: 4)),
            ReportTestData.Trial("a", 1, 1, summary: ReportTestData.Summary(psnr: 28, gain: 5)),
            ReportTestData.Trial("a", 2, 2, summary: ReportTestData.Summary(psnr: 30, gain: 6)),
        ];

        var row = Assert.Single(TestMatrixBuilder.Build(ReportTestData.Sweep(), trials).Rows);

        Assert.Equal(3, row.N);
        Assert.Equal(85.0 / 3, row.PsnrCross!.Mean, 12);
        // Sample standard deviation (n - 1): deviations -4/3, -1/3, 5/3; squares sum to 42/9; / 2 = 7/3.
        Assert.Equal(Math.Sqrt(7.0 / 3), row.PsnrCross.Std!.Value, 12);
        Assert.Equal(3, row.PsnrCross.N);
        Assert.Equal(5, row.PsnrGainCross!.Mean, 12);
        Assert.Equal(1, row.PsnrGainCross.Std!.Value, 12);
        Assert.Equal([0L, 1L, 2L], row.Seeds);
    }

    [Fact]
    public void Rows_follow_the_sweep_order_and_parameter_keys_their_first_appearance()
    {
        TrialRecord[] trials =
        [
            ReportTestData.Trial("second", 5, 0, parameters: """{"b":1,"c":"x"}"""),
            ReportTestData.Trial("first", 1, 0, parameters: """{"a":true,"b":2}"""),
            ReportTestData.Trial("first", 7, 1, parameters: """{"a":true,"b":2}"""),
        ];

        var matrix = TestMatrixBuilder.Build(ReportTestData.Sweep(), trials);

        Assert.Equal(["first", "second"], matrix.Rows.Select(r => r.ConfigName));
        Assert.Equal(["a", "b", "c"], matrix.ParameterKeys);
        Assert.Equal([new MatrixParameter("a", "true"), new MatrixParameter("b", "2")], matrix.Rows[0].Parameters);
        Assert.Equal("x", matrix.Rows[1].Parameters[1].Value);
        Assert.Equal(2, matrix.Rows[0].N);
    }

    [Theory]
    [InlineData(new[] { true, true, false }, true)]
    [InlineData(new[] { true, false }, false)]
    [InlineData(new[] { false, false, true }, false)]
    public void Cross_loss_going_down_needs_a_strict_majority_of_seeds(bool[] seeds, bool expected)
    {
        var trials = seeds.Select((down, i) => ReportTestData.Trial("a", i, i, summary: ReportTestData.Summary(goingDown: down))).ToList();

        var row = Assert.Single(TestMatrixBuilder.Build(ReportTestData.Sweep(), trials).Rows);

        Assert.Equal(expected, row.CrossGoingDown);
        Assert.Equal(seeds.Count(s => s), row.GoingDownVotes);
        Assert.Equal(expected ? Verdict.Pass : Verdict.Fail, row.Verdict);
    }

    [Theory]
    [InlineData("pass", 5.0, 0.05, Verdict.Pass, true)]
    [InlineData("PASS", 0.5, 0.05, Verdict.Partial, false)]
    [InlineData("fail", -0.5, 0.05, Verdict.Fail, true)]
    [InlineData("fail", 5.0, 0.05, Verdict.Pass, false)]
    [InlineData("partial", 5.0, 0.3, Verdict.Partial, true)]
    public void Measured_verdict_is_compared_with_the_expected_one(string expected, double gain, double leakage, Verdict measured, bool agrees)
    {
        var trial = ReportTestData.Trial("a", 0, 0, summary: ReportTestData.Summary(gain: gain, leakage: leakage), expectedVerdict: expected);

        var row = Assert.Single(TestMatrixBuilder.Build(ReportTestData.Sweep(), [trial]).Rows);

        Assert.Equal(measured, row.Verdict);
        Assert.Equal(agrees, row.AgreesWithExpected);
    }

    [Fact]
    public void Without_an_expected_verdict_there_is_no_agreement()
    {
        var row = Assert.Single(TestMatrixBuilder.Build(ReportTestData.Sweep(), [ReportTestData.Trial("a", 0, 0, expectedVerdict: null, expect: "see what happens")]).Rows);

        Assert.Equal(Verdict.Pass, row.Verdict);
        Assert.Null(row.AgreesWithExpected);
        Assert.Equal("see what happens", row.Expect);
    }

    [Fact]
    public void A_partial_sweep_shows_counts_and_aggregates_only_succeeded_seeds()
    {
        TrialRecord[] trials =
        [
            ReportTestData.Trial("running", 0, 0, summary: ReportTestData.Summary(psnr: 26)),
            ReportTestData.Trial("running", 1, 1, TrialState.Running),
            ReportTestData.Trial("running", 2, 2, TrialState.Pending),
            ReportTestData.Trial("waiting", 3, 0, TrialState.Pending),
            ReportTestData.Trial("waiting", 4, 1, TrialState.Placed),
            ReportTestData.Trial("broken", 5, 0, TrialState.Failed),
            ReportTestData.Trial("broken", 6, 1, summary: ReportTestData.Summary()),
            ReportTestData.Trial("broken", 7, 2, TrialState.Cancelled),
        ];

        var rows = TestMatrixBuilder.Build(ReportTestData.Sweep(), trials).Rows;

        Assert.Equal(RowState.InProgress, rows[0].State);
        Assert.Equal(new TrialCounts(3, 1, 1, 1, 0, 0), rows[0].Counts);
        Assert.Equal("1/3 succeeded; 1 pending, 1 running", rows[0].Status);
        Assert.Equal(new MeasuredStat(26, null, 1), rows[0].PsnrCross);
        Assert.Equal(Verdict.Pass, rows[0].Verdict);

        Assert.Equal(0, rows[1].N);
        Assert.Null(rows[1].PsnrCross);
        Assert.Null(rows[1].Verdict);
        Assert.Null(rows[1].AgreesWithExpected);
        Assert.Equal("0/2 succeeded; 1 pending, 1 running", rows[1].Status);

        Assert.Equal(RowState.Incomplete, rows[2].State);
        Assert.Equal("1/3 succeeded; 1 failed, 1 cancelled", rows[2].Status);
    }

    [Fact]
    public void A_failed_seed_is_counted_and_its_reason_is_in_the_note()
    {
        TrialRecord[] trials =
        [
            ReportTestData.Trial("huge_lr", 0, 0, summary: ReportTestData.Summary()),
            ReportTestData.Failed("huge_lr", 1, 1, "diverged at step 12 (loss.cross = NaN)"),
            ReportTestData.Failed("huge_lr", 2, 2, "the trial process exited with code 1; last standard error:\nout of memory\n"),
            ReportTestData.Failed("huger_lr", 3, 0, "diverged at step 3 (loss.total = Infinity)"),
        ];

        var matrix = TestMatrixBuilder.Build(ReportTestData.Sweep(), trials);

        var (some, all) = (matrix.Rows[0], matrix.Rows[1]);
        Assert.Equal((RowState.Incomplete, "1/3 succeeded; 2 failed"), (some.State, some.Status));
        Assert.Equal(
            "seed 1 failed: diverged at step 12 (loss.cross = NaN); seed 2 failed: the trial process exited with code 1; last standard error: / out of memory",
            some.Note);
        Assert.Equal((RowState.Incomplete, "0/1 succeeded; 1 failed"), (all.State, all.Status));
        Assert.Null(all.Verdict);
        Assert.Equal("seed 0 failed: diverged at step 3 (loss.total = Infinity)", all.Note);
        var markdown = MarkdownMatrixRenderer.Render(matrix);
        Assert.Contains("seed 1 failed: diverged at step 12 (loss.cross = NaN)", markdown, StringComparison.Ordinal);
        Assert.Contains("0/1 succeeded; 1 failed", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_and_unreadable_summaries_are_left_out_with_a_warning()
    {
        TrialRecord[] trials =
        [
            ReportTestData.Trial("a", 0, 0, summary: """{"scalars":{"psnr_cross":"NaN","psnr_gain_cross":2,"leakage_cross":0.1,"cross_going_down":true}}"""),
            ReportTestData.Trial("a", 1, 1, summary: "not json"),
            ReportTestData.Trial("a", 2, 2, summary: ReportTestData.Summary(psnr: 25, gain: 3, leakage: 0.1)),
        ];

        var matrix = TestMatrixBuilder.Build(ReportTestData.Sweep(), trials);
        var row = Assert.Single(matrix.Rows);

        Assert.Equal(new MeasuredStat(25, null, 1), row.PsnrCross);
        Assert.Equal(2.5, row.PsnrGainCross!.Mean, 12);
        Assert.Equal(2, row.PsnrGainCross.N);
        Assert.Equal(2, matrix.Warnings.Count);
        Assert.Contains(matrix.Warnings, w => w.Contains("psnr_cross is NaN", StringComparison.Ordinal));
        Assert.Contains(matrix.Warnings, w => w.Contains("not valid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pruned_configuration_is_in_its_own_state_with_the_epoch_it_reached_and_no_verdict()
    {
        const string reason = "pruned at epoch 3: eval.psnr_cross 21.3 is below the rung's top third (cut 22.1, 9 configurations at this rung)";
        TrialRecord[] trials =
        [
            ReportTestData.Trial("kept", 0, 0, summary: ReportTestData.Summary(psnr: 26)),
            ReportTestData.Trial("stopped", 1, 0, TrialState.Pruned),
            ReportTestData.Trial("stopped", 2, 1, TrialState.Pruned),
        ];
        trials[1] = trials[1] with { Snapshot = trials[1].Snapshot with { StopReason = reason } };
        trials[2] = trials[2] with { Snapshot = trials[2].Snapshot with { StopReason = reason } };
        var points = new Dictionary<string, IReadOnlyList<MetricPointRecord>>
        {
            [trials[1].Definition.Id] =
            [
                Point(trials[1].Definition.Id, 1, 30, "eval.x_a_from_b.psnr", 21, 3, "eval"),
                Point(trials[1].Definition.Id, 1, 30, "eval.x_b_from_a.psnr", 22, 3, "eval"),
            ],
            [trials[2].Definition.Id] =
            [
                Point(trials[2].Definition.Id, 1, 20, "eval.x_a_from_b.psnr", 20, 2, "eval"),
                Point(trials[2].Definition.Id, 1, 30, "eval.x_a_from_b.psnr", 21, 3, "eval"),
                Point(trials[2].Definition.Id, 1, 30, "eval.x_b_from_a.psnr", 21, 3, "eval"),
            ],
        };

        var rows = TestMatrixBuilder.Build(ReportTestData.Sweep(), trials, points).Rows;

        Assert.Equal(RowState.Complete, rows[0].State);
        var pruned = rows[1];
        Assert.Equal(RowState.Pruned, pruned.State);
        Assert.Equal(new TrialCounts(2, 0, 0, 0, 0, 0, 2), pruned.Counts);
        Assert.Null(pruned.Verdict);
        Assert.Null(pruned.AgreesWithExpected);
        Assert.Equal((3, 21.25), (pruned.EpochReached, pruned.LastPsnrCross));
        Assert.Equal("pruned at epoch 3 (last psnr_cross 21.25)", pruned.Status);
        Assert.Equal(reason, pruned.Note);
        // Its curves are drawn to where it stopped.
        Assert.Equal(30, pruned.PsnrCurves.Max(c => c.Points[^1].X));
        Assert.Equal("pruned", MatrixCells.Cells(TestMatrixBuilder.Build(ReportTestData.Sweep(), trials, points), pruned)[1]);
    }

    [Fact]
    public void Curves_use_epoch_points_and_the_latest_attempt_of_each_step()
    {
        var trial = ReportTestData.Trial("a", 0, 0);
        var id = trial.Definition.Id;
        List<MetricPointRecord> points =
        [
            Point(id, 1, 10, "loss.cross", 1.0, 0, "epoch"),
            Point(id, 1, 20, "loss.cross", 0.8, 1, "epoch"),
            Point(id, 1, 30, "loss.cross", 0.7, 2, "epoch"),
            // Attempt 2 resumed from step 20 and reported step 30 again: its value counts.
            Point(id, 2, 30, "loss.cross", 0.6, 2, "epoch"),
            Point(id, 2, 40, "loss.cross", 0.5, 3, "epoch"),
            Point(id, 1, 5, "loss.cross", 9.0, 0, "step"),
            Point(id, 1, 20, "eval.x_a_from_b.psnr", 24, 1, "eval"),
            Point(id, 1, 20, "eval.x_b_from_a.psnr", 26, 1, "eval"),
            Point(id, 2, 40, "eval.x_a_from_b.psnr", 27, 3, "eval"),
            Point(id, 2, 40, "eval.x_b_from_a.psnr", 29, 3, "eval"),
        ];

        var row = Assert.Single(TestMatrixBuilder.Build(ReportTestData.Sweep(), [trial], new Dictionary<string, IReadOnlyList<MetricPointRecord>> { [id] = points }).Rows);

        var loss = Assert.Single(row.CrossLossCurves);
        Assert.Equal([new CurvePoint(0, 1.0), new CurvePoint(1, 0.8), new CurvePoint(2, 0.6), new CurvePoint(3, 0.5)], loss.Points);
        Assert.Equal([new CurvePoint(20, 25), new CurvePoint(40, 28)], Assert.Single(row.PsnrCurves).Points);
    }

    [Fact]
    public void Without_epoch_points_the_step_losses_are_averaged_per_epoch()
    {
        var trial = ReportTestData.Trial("a", 0, 0);
        var id = trial.Definition.Id;
        List<MetricPointRecord> points =
        [
            Point(id, 1, 1, "loss.cross", 1.0, 0, "step"),
            Point(id, 1, 2, "loss.cross", 0.5, 0, "step"),
            Point(id, 1, 3, "loss.cross", 0.4, 1, "step"),
            Point(id, 1, 4, "loss.cross", double.NaN, 1, "step"),
        ];

        var row = Assert.Single(TestMatrixBuilder.Build(ReportTestData.Sweep(), [trial], new Dictionary<string, IReadOnlyList<MetricPointRecord>> { [id] = points }).Rows);

        Assert.Equal([new CurvePoint(0, 0.75), new CurvePoint(1, 0.4)], Assert.Single(row.CrossLossCurves).Points);
    }

    internal static MetricPointRecord Point(string trialId, int attempt, long step, string name, double value, int? epoch, string kind) =>
        new(trialId, attempt, new MetricPoint(step, name, value, epoch, kind), TestData.T0);
    [Fact]
    public void Reference_rows_follow_the_configurations_with_their_numbers_and_set_f()
    {
        TrialRecord[] trials =
        [
            ReportTestData.Reference(0, 0, ReportTestData.ReferenceSummary(psnr: 30)),
            ReportTestData.Reference(1, 1, ReportTestData.ReferenceSummary(psnr: 30)),
            ReportTestData.Trial("good", 2, 0, summary: ReportTestData.ReferenceSummary(psnr: 27, leakage: 0.05)),
            ReportTestData.Trial("weak", 4, 0, summary: ReportTestData.ReferenceSummary(psnr: 23, leakage: 0.05)),
        ];

        var matrix = TestMatrixBuilder.Build(ReportTestData.Sweep(), trials);

        Assert.True(matrix.RelativeVerdicts);
        Assert.Contains("8.00 dB", matrix.VerdictBasis, StringComparison.Ordinal);
        Assert.Equal([RowKind.Configuration, RowKind.Configuration], matrix.Rows.Select(r => r.Kind));
        var references = Assert.IsAssignableFrom<IReadOnlyList<TestMatrixRow>>(matrix.References);
        Assert.Equal([RowKind.NoisyInput, RowKind.Classical, RowKind.SupervisedCross], references.Select(r => r.Kind));
        Assert.DoesNotContain("trainer.mode", matrix.ParameterKeys);
        var (good, weak, noisy, classical, reference) = (matrix.Rows[0], matrix.Rows[1], references[0], references[1], references[2]);

        // F = (27 - 22) / (30 - 22) and (23 - 22) / 8.
        Assert.Equal(5.0 / 8, good.GapClosed!.Value, 12);
        Assert.Equal(Verdict.Pass, good.Verdict);
        Assert.Equal(1.0 / 8, weak.GapClosed!.Value, 12);
        Assert.Equal(Verdict.Partial, weak.Verdict);
        Assert.Equal(0.07, good.CrossExcessFinal!.Mean, 12);
        Assert.Equal(0.13, good.NoiseFloorCross!.Mean, 12);
        Assert.Equal(0.4, good.CrossExcessRelDecrease!.Mean, 12);
        Assert.Equal(0.05, good.CrossExcessRelDecreaseErr!.Mean, 12);

        Assert.Equal(22, noisy.PsnrCross!.Mean);
        Assert.Equal(1, noisy.LeakageCross!.Mean);
        Assert.Equal(0, noisy.GapClosed);
        Assert.Equal(4, noisy.N);
        Assert.Equal(25, classical.PsnrCross!.Mean);
        Assert.Equal(0.3, classical.LeakageCross!.Mean);
        Assert.Equal(3.0 / 8, classical.GapClosed!.Value, 12);
        Assert.Contains("sigma 1.25 px", classical.Note, StringComparison.Ordinal);
        Assert.Equal(30, reference.PsnrCross!.Mean);
        Assert.Equal(2, reference.N);
        Assert.Equal(1, reference.GapClosed);
        Assert.All(references, r => Assert.Null(r.Verdict));

        var markdown = MarkdownMatrixRenderer.Render(matrix);
        Assert.Contains("| reference: supervised_cross | reference |", markdown, StringComparison.Ordinal);
        Assert.Contains("| good | pass | agrees | pass? test this! | 1 | 0.63 | 27.00 | 5.00 | 0.800 | 0.050 | 0.07 | 0.40 (err 0.05) | yes (1/1) |", markdown, StringComparison.Ordinal);
        Assert.Contains("Verdict rule: With F = ", markdown, StringComparison.Ordinal);
        var read = JsonMatrixRenderer.Read(JsonMatrixRenderer.Render(matrix));
        Assert.Equal(RowKind.SupervisedCross, read.References![2].Kind);
        Assert.Equal(5.0 / 8, read.Rows[0].GapClosed!.Value, 12);
        Assert.Contains("\"kind\": \"supervised_cross\"", JsonMatrixRenderer.Render(matrix), StringComparison.Ordinal);
        Assert.Contains(",supervised_cross,", CsvMatrixRenderer.Render(matrix), StringComparison.Ordinal);

        // Sections with plots and panels only for rows with trials of their own: not for the noisy input or classical rows.
        var html = HtmlReportRenderer.Render(matrix);
        Assert.Equal(3, html.Split("<section class=\"config\"").Length - 1);
        Assert.Contains("<td>reference: noisy input</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cross_loss_below_its_floor_fails_and_is_said_in_words()
    {
        TrialRecord[] trials =
        [
            ReportTestData.Reference(0, 0, ReportTestData.ReferenceSummary(psnr: 30)),
            ReportTestData.Trial("original", 1, 0, summary: ReportTestData.ReferenceSummary(psnr: 28, leakage: 0.1, crossLoss: 0.039, belowFloor: true), expectedVerdict: "fail"),
        ];

        var matrix = TestMatrixBuilder.Build(ReportTestData.Sweep(), trials);
        var row = matrix.Rows[0];

        // F = 0.75 and the leakage is low: only the floor makes it fail.
        Assert.Equal(0.75, row.GapClosed!.Value, 12);
        Assert.True(row.CrossBelowFloor);
        Assert.Equal(Verdict.Fail, row.Verdict);
        Assert.Equal("copies the target's noise: cross loss 0.039 below its floor 0.13 (1/1 seeds)", row.Note);
        Assert.Contains("copies the target's noise: cross loss 0.039 below its floor 0.13", MarkdownMatrixRenderer.Render(matrix), StringComparison.Ordinal);
        Assert.Contains("copies the target&#39;s noise", HtmlReportRenderer.Render(matrix), StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_that_does_not_beat_the_noisy_input_falls_back_to_the_absolute_rule_and_says_so()
    {
        TrialRecord[] trials =
        [
            ReportTestData.Reference(0, 0, ReportTestData.ReferenceSummary(psnr: 21.5)),
            ReportTestData.Trial("a", 1, 0, summary: ReportTestData.ReferenceSummary(psnr: 23.5, leakage: 0.1)),
        ];

        var matrix = TestMatrixBuilder.Build(ReportTestData.Sweep(), trials);

        Assert.False(matrix.RelativeVerdicts);
        Assert.Contains("does not beat the noisy input", matrix.VerdictBasis, StringComparison.Ordinal);
        Assert.Null(matrix.Rows[0].GapClosed);

        // Gain 1.5 dB, leakage 0.1, going down: the fallback's pass.
        Assert.Equal(Verdict.Pass, matrix.Rows[0].Verdict);
    }
}
