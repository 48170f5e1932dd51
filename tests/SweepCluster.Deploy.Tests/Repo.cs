namespace SweepCluster.Deploy.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SweepCluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"SweepCluster.sln not found above {AppContext.BaseDirectory}.");
    }
}
