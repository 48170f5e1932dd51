namespace SweepCluster.Cli.Tests;

[Trait("Category", "Integration")]
public sealed class SiloCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task A_silo_asked_for_metrics_without_a_token_refuses_to_start_and_names_the_fix()
    {
        var environment = new Dictionary<string, string?>
        {
            ["SWEEPCLUSTER_SILO_TOKEN"] = "silo-token-0123456789abcdef",
            ["SWEEPCLUSTER_METRICS_TOKEN"] = null,
        };

        var result = await CliProcess.RunWithEnvironmentAsync(_temp.Path, environment, TimeSpan.FromSeconds(60),
            "silo", "--coordinator", "http://127.0.0.1:9", "--cpu-slots", "1", "--work-dir", _temp.Path, "--metrics-listen", "127.0.0.1:0");

        Assert.True(result.ExitCode == 2, result.Transcript);
        Assert.Contains("SWEEPCLUSTER_METRICS_TOKEN", result.Error, StringComparison.Ordinal);
        Assert.Contains("--metrics-token-file", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
