using System.Globalization;
using System.Text.RegularExpressions;

namespace SweepCluster.Cli.Tests;

[Trait("Category", "Integration")]
public sealed class ValidateCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public static TheoryData<string> ShippedSweeps()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CliPaths.Sweeps, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedSweeps))]
    public async Task Every_shipped_sweep_is_valid_and_its_trial_count_is_printed(string name)
    {
        var path = Path.Combine("sweeps", name);
        var result = await CliProcess.RunAsync(CliPaths.RepositoryRoot, Timeout, "validate", path);

        Assert.True(result.ExitCode == 0, result.Transcript);
        var match = Regex.Match(result.Output, $@"^{Regex.Escape(path)}: valid; profile \S+: (\d+) trials in (\d+) configurations$", RegexOptions.Multiline);
        Assert.True(match.Success, result.Transcript);
        var trials = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var configurations = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.InRange(trials, 1, 10_000);
        Assert.InRange(configurations, 1, trials);
        Assert.Equal(string.Empty, result.Error.Trim());
    }

    [Fact]
    public async Task A_broken_sweep_reports_every_problem_with_its_position_and_changes_nothing()
    {
        // Line and column of each problem are counted from this text (1-based).
        const string Broken = """
            name: broken
            qestion: Does it break?
            base:
              trainer.epochs: many
            matrix:
              - name: a
                overrides:
                  trainer.cross_skips: no_skips
            grid:
              trainer.lr: []
            default_profile: gpux
            profiles:
              cpu:
                overrides: {device: cpu}
            """;
        _temp.Write("broken.yaml", Broken);
        var before = Directory.GetFileSystemEntries(_temp.Path);

        var result = await CliProcess.RunAsync(_temp.Path, Timeout, "validate", "broken.yaml");

        Assert.True(result.ExitCode != 0, result.Transcript);
        var expected = new[]
        {
            @"broken\.yaml:2:1: qestion: unknown key `qestion`; did you mean `question`\?",
            @"broken\.yaml:4:19: base\.trainer\.epochs: expected a number, found a string `many`",
            @"broken\.yaml:8:28: matrix\[0\]\.overrides\.trainer\.cross_skips: unknown value `no_skips` .*did you mean `no_skip`\?",
            @"broken\.yaml:10:15: grid\.trainer\.lr: empty grid list",
            @"broken\.yaml:11:18: default_profile: no profile named `gpux`.*\(available: cpu\)",
        };
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var pattern in expected)
        {
            Assert.True(lines.Any(l => Regex.IsMatch(l, "^" + pattern)), $"missing /{pattern}/\n{result.Transcript}");
        }

        Assert.Contains(lines, l => l == $"{expected.Length} problem(s); nothing was changed.");
        Assert.DoesNotContain("valid;", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task Asking_for_a_profile_the_sweep_does_not_define_lists_the_available_ones()
    {
        _temp.Write("ok.yaml", """
            name: ok
            default_profile: cpu
            profiles:
              cpu:
                overrides: {device: cpu}
            """);

        var result = await CliProcess.RunAsync(_temp.Path, Timeout, "validate", "ok.yaml", "--profile", "tpu");

        Assert.True(result.ExitCode != 0, result.Transcript);
        Assert.Matches(@"(?m)^ok\.yaml:1:1: profile: no profile named `tpu`; did you mean `cpu`\? \(available: cpu\)", result.Error);
        Assert.Contains("1 problem(s); nothing was changed.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Early_stopping_on_a_metric_the_trainer_does_not_report_every_epoch_is_refused_with_its_position_and_the_reported_ones()
    {
        _temp.Write("es.yaml", """
            name: es
            objective: {metric: psnr_cross, goal: maximize}
            early_stopping:
              rule: asha
              metric: eval.psnr_cros
            """);

        var result = await CliProcess.RunAsync(_temp.Path, Timeout, "validate", "es.yaml");

        Assert.True(result.ExitCode != 0, result.Transcript);
        Assert.Matches(@"(?m)^es\.yaml:5:11: early_stopping\.metric: the trainer does not report `eval\.psnr_cros` every epoch; did you mean `eval\.psnr_cross`\? \(reported: .*eval\.x_a_from_b\.psnr", result.Error);
    }

    public void Dispose() => _temp.Dispose();
}
