namespace SweepCluster.Cli.Tests;

/// <summary>Where the repository and the built CLI are, found from the test's base directory.</summary>
internal static class CliPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder holding SweepCluster.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The built CLI; the tests fail with a clear message when it has not been built.</summary>
    public static string CliDll
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, "src", "SweepCluster.Cli", "bin", "Release", "net10.0", "sweepcluster.dll");
            Assert.True(File.Exists(path), $"{path} is missing: run ./build.sh build first");
            return path;
        }
    }

    public static string Sweeps => Path.Combine(RepositoryRoot, "sweeps");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SweepCluster.sln")))
            {
                return directory.FullName;
            }
        }

        Assert.Fail($"no SweepCluster.sln above {AppContext.BaseDirectory}: run ./build.sh build first");
        return string.Empty;
    }
}
