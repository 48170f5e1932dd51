namespace SweepCluster.Deploy.Tests;

[Trait("Category", "Integration")]
public sealed class PromtoolTests
{
    private const string Promtool = "/usr/bin/promtool";
    private const string Hint = "install Debian's Prometheus (it ships promtool) with `apt-get install -y prometheus` as root, as CI does.";

    [Fact]
    public async Task Alert_rules_pass_promtool_check_rules()
    {
        DeployTools.RequireBinary(Promtool, Hint);

        var result = await ProcessRunner.RunAsync(Promtool, ["check", "rules", "alerts.yml"], workingDirectory: Repo.Path("deploy", "prometheus"));

        Assert.True(result.ExitCode == 0, result.Describe("promtool check rules"));
        Assert.Contains("3 rules found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alert_rule_unit_tests_pass_promtool_test_rules()
    {
        DeployTools.RequireBinary(Promtool, Hint);

        var result = await ProcessRunner.RunAsync(Promtool, ["test", "rules", "alerts.test.yml"], workingDirectory: Repo.Path("deploy", "prometheus"));

        Assert.True(result.ExitCode == 0, result.Describe("promtool test rules"));
    }

    [Fact]
    public async Task Promtool_test_rules_fails_when_an_expected_alert_does_not_fire()
    {
        DeployTools.RequireBinary(Promtool, Hint);
        var directory = Directory.CreateTempSubdirectory("sweepcluster-promtool-").FullName;
        File.Copy(Repo.Path("deploy", "prometheus", "alerts.yml"), Path.Combine(directory, "alerts.yml"));
        // The healthy silo of the first case, expected to be lost: promtool must report the mismatch.
        var tests = (await File.ReadAllTextAsync(Repo.Path("deploy", "prometheus", "alerts.test.yml")))
            .Replace("silo: gpu-node-1", "silo: gpu-node-2", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(directory, "alerts.test.yml"), tests);

        var result = await ProcessRunner.RunAsync(Promtool, ["test", "rules", "alerts.test.yml"], workingDirectory: directory);

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task Scrape_config_passes_promtool_check_config()
    {
        DeployTools.RequireBinary(Promtool, Hint);

        // The config reads the coordinator's token from a file, as a deployment mounts it; promtool checks that the
        // file exists, so the check runs on a copy whose token path points at a file the test writes.
        var directory = Directory.CreateTempSubdirectory("sweepcluster-promtool-").FullName;
        try
        {
            var tokenPath = Path.Combine(directory, "sweepcluster-user-token");
            await File.WriteAllTextAsync(tokenPath, "token-for-the-check");
            var config = (await File.ReadAllTextAsync(Repo.Path("deploy", "prometheus", "prometheus.yml")))
                .Replace("/etc/prometheus/sweepcluster-user-token", tokenPath, StringComparison.Ordinal);
            Assert.Contains(tokenPath, config, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), config);
            File.Copy(Repo.Path("deploy", "prometheus", "alerts.yml"), Path.Combine(directory, "alerts.yml"));

            var result = await ProcessRunner.RunAsync(Promtool, ["check", "config", "prometheus.yml"], workingDirectory: directory);

            Assert.True(result.ExitCode == 0, result.Describe("promtool check config"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
