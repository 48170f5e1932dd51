namespace SweepCluster.Deploy.Tests;

[Trait("Category", "Unit")]
public sealed class DockerfileTests
{
    public static TheoryData<string> Dockerfiles() => new("Dockerfile.cpu", "Dockerfile.cuda");

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Dockerfile_builds_with_the_repository_script_and_runs_as_non_root(string file)
    {
        var lines = File.ReadAllLines(Repo.Path("deploy", "docker", file)).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.EndsWith("AS build", stages[0], StringComparison.Ordinal);
        Assert.EndsWith("AS runtime", stages[1], StringComparison.Ordinal);
        Assert.Equal(["RUN ./build.sh publish"], lines.Where(l => l.Contains("./build.sh", StringComparison.Ordinal)));

        var runtime = lines.SkipWhile(l => l != stages[1]).ToList();
        var user = Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Equal("USER 10001:10001", user);
        Assert.Contains(runtime, l => l.StartsWith("COPY --from=build /src/artifacts/publish/", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"sweepcluster\"]", runtime);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Images_are_built_and_run_on_a_base_whose_libstdcxx_needs_no_compatibility_fix(string file)
    {
        // TorchSharp's native library needs GLIBCXX_3.4.32 (GCC 13's libstdc++): Ubuntu 24.04 has it, Debian 12
        // does not. The images use the .NET noble images, so the build's fix-up finds nothing to do there.
        var text = File.ReadAllText(Repo.Path("deploy", "docker", file));

        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build", text, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bookworm", text, StringComparison.Ordinal);
        Assert.Equal(file == "Dockerfile.cuda", text.Contains("TORCH_BACKEND=cuda", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_script_offers_the_subcommands_the_images_run_when_it_exists()
    {
        // ./build.sh belongs to the repository's build; the images depend on its publish subcommand, its
        // SWEEPCLUSTER_SKIP_DEPS switch and its TORCH_BACKEND switch.
        var script = Repo.Path("build.sh");
        if (!File.Exists(script))
        {
            return;
        }

        var text = File.ReadAllText(script);
        foreach (var subcommand in new[] { "publish)", "SWEEPCLUSTER_SKIP_DEPS", "TORCH_BACKEND" })
        {
            Assert.True(text.Contains(subcommand, StringComparison.Ordinal), $"build.sh does not mention the '{subcommand}' subcommand the Dockerfiles run");
        }
    }
}
