namespace SweepCluster.Fault.Tests;

/// <summary>Where the repository and the built command line are, found from the test's base directory.</summary>
public static class RepositoryLayout
{
    /// <summary>The folder holding <c>SweepCluster.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The built CLI, run as <c>dotnet &lt;dll&gt; ...</c>; fails with the build hint when it is missing.</summary>
    public static string CliDll
    {
        get
        {
            var dll = Path.Combine(Root, "src", "SweepCluster.Cli", "bin", "Release", "net10.0", "sweepcluster.dll");
            Assert.True(File.Exists(dll), $"The CLI is not built ({dll} is missing): run ./build.sh build first.");
            return dll;
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SweepCluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SweepCluster.sln above {AppContext.BaseDirectory}: run ./build.sh build first from a checkout of the repository.");
    }
}
