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
        Assert.Equal(["RUN ./build.sh deps", "RUN ./build.sh native", "RUN ./build.sh publish"], lines.Where(l => l.Contains("./build.sh", StringComparison.Ordinal)));

        var runtime = lines.SkipWhile(l => l != stages[1]).ToList();
        var user = Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Equal("USER 10001:10001", user);
        Assert.Contains(runtime, l => l.StartsWith("COPY --from=build /src/artifacts/publish/", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"sweepcluster\"]", runtime);
    }

    [Fact]
    public void Cpu_runtime_installs_the_libtorch_the_build_stage_compiled_against()
    {
        var text = File.ReadAllText(Repo.Path("deploy", "docker", "Dockerfile.cpu"));

        Assert.Contains("FROM debian:bookworm AS build", text, StringComparison.Ordinal);
        Assert.Contains("FROM debian:bookworm-slim AS runtime", text, StringComparison.Ordinal);
        Assert.Contains("libtorch1.13", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_script_offers_the_subcommands_the_images_run_when_it_exists()
    {
        // ./build.sh belongs to the repository's build; the images depend on its deps, native and publish
        // subcommands. Until the script lands only the Dockerfiles themselves can be checked (above).
        var script = Repo.Path("build.sh");
        if (!File.Exists(script))
        {
            return;
        }

        var text = File.ReadAllText(script);
        foreach (var subcommand in new[] { "deps", "native", "publish" })
        {
            Assert.True(text.Contains(subcommand, StringComparison.Ordinal), $"build.sh does not mention the '{subcommand}' subcommand the Dockerfiles run");
        }
    }
}
