namespace SweepCluster.Cli.Tests;

/// <summary>The cluster commands (the silo and the client side) given what they cannot use: a clear line naming the fix, no stack trace.</summary>
[Trait("Category", "Integration")]
public sealed class ClusterCommandsTests : IDisposable
{
    private static readonly Dictionary<string, string?> NoClientSettings = new()
    {
        ["SWEEPCLUSTER_COORDINATOR"] = null,
        ["SWEEPCLUSTER_USER_TOKEN"] = null,
    };

    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData(new[] { "status" }, "--coordinator: give the coordinator's URL (or set SWEEPCLUSTER_COORDINATOR)")]
    [InlineData(new[] { "status", "--coordinator", "ftp://host" }, "--coordinator 'ftp://host': give an http(s) URL")]
    [InlineData(new[] { "cancel", "some-sweep", "--coordinator", "http://127.0.0.1:9" }, "--token-file: give the user token (or set SWEEPCLUSTER_USER_TOKEN)")]
    [InlineData(new[] { "report", "some-sweep", "--coordinator", "http://127.0.0.1:9", "--token-file", "/no/such/token" }, "--token-file '/no/such/token': cannot read it")]
    public async Task Missing_or_bad_client_settings_exit_2_naming_the_option(string[] arguments, string message)
    {
        var result = await CliProcess.RunWithEnvironmentAsync(_temp.Path, NoClientSettings, TimeSpan.FromSeconds(60), arguments);

        Assert.True(result.ExitCode == 2, result.Transcript);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_coordinator_is_named_without_a_stack_trace()
    {
        var environment = new Dictionary<string, string?>(NoClientSettings) { ["SWEEPCLUSTER_USER_TOKEN"] = "user-token-0123456789" };

        var result = await CliProcess.RunWithEnvironmentAsync(_temp.Path, environment, TimeSpan.FromSeconds(60), "status", "--coordinator", "http://127.0.0.1:9");

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("could not reach the coordinator", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "silo", "--cpu-slots", "1" }, "--store: give postgres://user:pass@host:port/db (or set SWEEPCLUSTER_STORE)")]
    [InlineData(new[] { "coordinator" }, "--store: give postgres://user:pass@host:port/db (or set SWEEPCLUSTER_STORE)")]
    [InlineData(new[] { "coordinator", "--store", "sqlite:cluster.db" }, "a cluster shares its membership and grain state through PostgreSQL")]
    [InlineData(new[] { "silo", "--store", "sqlite:cluster.db" }, "to run on this machine alone, use `sweepcluster run FILE`")]
    [InlineData(new[] { "silo", "--store", "postgres://u:p@127.0.0.1:9/db", "--advertise", "not-an-ip" }, "--advertise 'not-an-ip': give an IP address")]
    public async Task A_cluster_silo_without_a_usable_cluster_database_refuses_to_start_and_names_the_fix(string[] arguments, string message)
    {
        var environment = new Dictionary<string, string?> { ["SWEEPCLUSTER_STORE"] = null };

        var result = await CliProcess.RunWithEnvironmentAsync(_temp.Path, environment, TimeSpan.FromSeconds(60), arguments);

        Assert.True(result.ExitCode == 2, result.Transcript);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_asked_for_metrics_without_a_token_refuses_to_start_and_names_the_fix()
    {
        var environment = new Dictionary<string, string?>
        {
            ["SWEEPCLUSTER_STORE"] = null,
            ["SWEEPCLUSTER_METRICS_TOKEN"] = null,
        };

        var result = await CliProcess.RunWithEnvironmentAsync(_temp.Path, environment, TimeSpan.FromSeconds(60),
            "silo", "--store", "postgres://u:p@127.0.0.1:9/db", "--cpu-slots", "1", "--work-dir", _temp.Path, "--metrics-listen", "127.0.0.1:0");

        Assert.True(result.ExitCode == 2, result.Transcript);
        Assert.Contains("SWEEPCLUSTER_METRICS_TOKEN", result.Error, StringComparison.Ordinal);
        Assert.Contains("--metrics-token-file", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
