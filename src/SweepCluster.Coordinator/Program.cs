namespace SweepCluster.Coordinator;

/// <summary>The coordinator as its own process (and the entry point tests host through WebApplicationFactory).</summary>
public sealed partial class Program
{
    private Program()
    {
    }

    public static async Task Main(string[] args)
    {
        await using var app = CoordinatorHost.BuildFromConfiguration(args);
        await app.RunAsync();
    }
}
