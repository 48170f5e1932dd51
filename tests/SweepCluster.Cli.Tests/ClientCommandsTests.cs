namespace SweepCluster.Cli.Tests;

/// <summary>The commands that talk to a remote coordinator, given what they cannot use: a clear line, no stack trace.</summary>
[Trait("Category", "Integration")]
public sealed class ClientCommandsTests : IDisposable
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

    public void Dispose() => _temp.Dispose();
}
