using System.Text.Json;

namespace SweepCluster.Deploy.Tests;

[Trait("Category", "Integration")]
public sealed class DashboardTests
{
    public static TheoryData<string> Dashboards() => new(Directory.GetFiles(Repo.Path("deploy", "grafana"), "*.json").Select(Path.GetFileName).Order()!);

    [Fact]
    public void The_five_dashboards_exist()
    {
        Assert.Equal(
            ["orleans-cluster.json", "silo-health.json", "sweep-overview.json", "test-matrix.json", "trial-curves.json"],
            Directory.GetFiles(Repo.Path("deploy", "grafana"), "*.json").Select(Path.GetFileName).Order());
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Dashboard_validates_against_grafanas_dashboard_schema(string file)
    {
        await DeployTools.EnsureAsync();

        var result = await ProcessRunner.RunAsync("node", [DeployTools.DashboardValidator, Repo.Path("deploy", "grafana", file)]);

        Assert.True(result.ExitCode == 0, result.Describe("validate-dashboards.mjs"));
    }

    [Fact]
    public async Task The_schema_check_rejects_a_misspelt_panel_field()
    {
        await DeployTools.EnsureAsync();
        using var original = JsonDocument.Parse(await File.ReadAllTextAsync(Repo.Path("deploy", "grafana", "sweep-overview.json")));
        var broken = original.RootElement.GetRawText().Replace("\"title\": \"Trials by state\"", "\"titel\": \"Trials by state\"", StringComparison.Ordinal)
            .Replace("\"title\":\"Trials by state\"", "\"titel\":\"Trials by state\"", StringComparison.Ordinal);
        Assert.Contains("titel", broken, StringComparison.Ordinal);
        var path = Path.Combine(Directory.CreateTempSubdirectory("sweepcluster-dash-").FullName, "broken.json");
        await File.WriteAllTextAsync(path, broken);

        var result = await ProcessRunner.RunAsync("node", [DeployTools.DashboardValidator, path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("titel", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_matrix_dashboard_is_a_table_of_configurations()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Repo.Path("deploy", "grafana", "test-matrix.json")));
        var table = Assert.Single(document.RootElement.GetProperty("panels").EnumerateArray(), p => p.GetProperty("type").GetString() == "table");

        Assert.All(table.GetProperty("targets").EnumerateArray(), t =>
        {
            Assert.Contains("by (config)", t.GetProperty("expr").GetString(), StringComparison.Ordinal);
            Assert.Equal("table", t.GetProperty("format").GetString());
        });
    }

    [Fact]
    public void Dashboard_uids_are_unique_and_panel_ids_unique_within_each()
    {
        var uids = new List<string>();
        foreach (var file in Directory.GetFiles(Repo.Path("deploy", "grafana"), "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            uids.Add(document.RootElement.GetProperty("uid").GetString()!);
            var ids = document.RootElement.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
        }

        Assert.Equal(uids.Count, uids.Distinct().Count());
    }
}
