using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deploy.Tests;

[Trait("Category", "Integration")]
public sealed class HelmChartTests
{
    private static readonly string Chart = Repo.Path("helm", "sweepcluster");

    public static TheoryData<string> ValueSets() => new("defaults", "external-postgres", "ingress-servicemonitor", "cpu-silos");

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task Chart_lints_with_value_set(string valueSet)
    {
        await DeployTools.EnsureAsync();

        var result = await ProcessRunner.RunAsync(DeployTools.Helm, ["lint", "--strict", Chart, .. ValuesArguments(valueSet)]);

        Assert.True(result.ExitCode == 0, result.Describe("helm lint"));
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task Every_rendered_object_validates_against_kubernetes_schemas(string valueSet)
    {
        var manifest = await TemplateAsync(ValuesArguments(valueSet));

        var result = await ProcessRunner.RunAsync("node", [DeployTools.ManifestValidator], input: manifest);

        Assert.True(result.ExitCode == 0, result.Describe("validate-manifests.mjs"));
        Assert.Contains(" 0 invalid", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_manifest_validator_rejects_a_malformed_object()
    {
        await DeployTools.EnsureAsync();
        var manifest = (await TemplateAsync([])).Replace("replicas: 1", "replicas: one", StringComparison.Ordinal);

        var result = await ProcessRunner.RunAsync("node", [DeployTools.ManifestValidator], input: manifest);

        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task Defaults_render_coordinator_gpu_daemonset_bundled_postgres_and_dashboards()
    {
        var objects = Parse(await TemplateAsync([]));

        var coordinator = Single(objects, "Deployment", "r-sweepcluster-coordinator");
        var container = Containers(coordinator)[0];
        Assert.Equal("/healthz", Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", Scalar(container, "readinessProbe", "httpGet", "path"));
        Single(objects, "Service", "r-sweepcluster-coordinator");

        var silo = Single(objects, "DaemonSet", "r-sweepcluster-silo");
        var siloContainer = Containers(silo)[0];
        Assert.Equal("1", Scalar(siloContainer, "resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("true", Scalar(PodSpec(silo), "nodeSelector", "nvidia.com/gpu.present"));
        Assert.Equal("nvidia.com/gpu", Scalar((YamlMappingNode)((YamlSequenceNode)PodSpec(silo)["tolerations"]).Children[0], "key"));

        Single(objects, "StatefulSet", "r-sweepcluster-postgresql");
        Single(objects, "Secret", "r-sweepcluster-postgresql");
        var tokens = Single(objects, "Secret", "r-sweepcluster-tokens");
        Assert.Equal(40, Scalar(tokens, "stringData", "silo-token").Length);
        Assert.DoesNotContain(objects, o => Kind(o) is "Ingress" or "ServiceMonitor");

        var dashboards = Single(objects, "ConfigMap", "r-sweepcluster-dashboards");
        Assert.Equal("1", Scalar(dashboards, "metadata", "labels", "grafana_dashboard"));
    }

    [Fact]
    public async Task External_postgres_renders_no_database_and_passes_the_url_through_a_secret()
    {
        var objects = Parse(await TemplateAsync(ValuesArguments("external-postgres")));

        Assert.DoesNotContain(objects, o => Name(o).Contains("postgresql", StringComparison.Ordinal));
        var store = Single(objects, "Secret", "r-sweepcluster-store");
        Assert.StartsWith("postgres://", Scalar(store, "stringData", "url"), StringComparison.Ordinal);
        // tokens.existingSecret: the chart creates no token Secret of its own.
        Assert.DoesNotContain(objects, o => Name(o) == "r-sweepcluster-tokens");
    }

    [Fact]
    public async Task External_postgres_without_a_url_is_refused_by_the_values_schema()
    {
        await DeployTools.EnsureAsync();

        var result = await ProcessRunner.RunAsync(DeployTools.Helm, ["template", "r", Chart, "--set", "postgresql.bundled=false"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("externalUrl", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_silo_kind_is_refused_by_the_values_schema()
    {
        await DeployTools.EnsureAsync();

        var result = await ProcessRunner.RunAsync(DeployTools.Helm, ["template", "r", Chart, "--set", "silo.kind=Deployment"]);

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task Ingress_and_service_monitors_render_when_enabled()
    {
        var objects = Parse(await TemplateAsync(ValuesArguments("ingress-servicemonitor")));

        var ingress = Single(objects, "Ingress", "r-sweepcluster");
        Assert.Equal("sweeps.example.com", Scalar((YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)ingress["spec"])["rules"]).Children[0], "host"));
        Assert.Equal(
            ["r-sweepcluster-coordinator", "r-sweepcluster-silo"],
            objects.Where(o => Kind(o) == "ServiceMonitor").Select(Name).Order());

        // Every /metrics needs the user token: both monitors send it, and the silos are given it to check.
        Assert.All(objects.Where(o => Kind(o) == "ServiceMonitor"), monitor =>
        {
            var endpoint = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)monitor["spec"])["endpoints"]).Children[0];
            Assert.Equal("user-token", Scalar(endpoint, "bearerTokenSecret", "key"));
        });
        var silo = objects.Single(o => Kind(o) is "DaemonSet" or "StatefulSet" && Name(o) == "r-sweepcluster-silo");
        var env = ((YamlSequenceNode)Containers(silo)[0]["env"]).Children.Cast<YamlMappingNode>()
            .ToDictionary(e => Scalar(e, "name"), e => e);
        Assert.Equal("user-token", Scalar(env["SWEEPCLUSTER_METRICS_TOKEN"], "valueFrom", "secretKeyRef", "key"));
    }

    [Fact]
    public async Task Cpu_only_silos_are_a_statefulset_without_gpu_requests()
    {
        var objects = Parse(await TemplateAsync(ValuesArguments("cpu-silos")));

        var silo = Single(objects, "StatefulSet", "r-sweepcluster-silo");
        Assert.Equal("3", Scalar(silo, "spec", "replicas"));
        Assert.DoesNotContain(objects, o => Kind(o) == "DaemonSet");
        var container = Containers(silo)[0];
        var limits = (YamlMappingNode)((YamlMappingNode)container["resources"])["limits"];
        Assert.DoesNotContain(limits.Children.Keys, k => ((YamlScalarNode)k).Value == "nvidia.com/gpu");
        Assert.Contains("--cpu-slots", ((YamlSequenceNode)container["args"]).Children.Select(a => ((YamlScalarNode)a).Value));
    }

    [Fact]
    public async Task Chart_dashboards_are_identical_to_deploy_grafana_and_all_land_in_the_configmap()
    {
        var source = Directory.GetFiles(Repo.Path("deploy", "grafana"), "*.json").Select(Path.GetFileName).Order().ToList();
        var copies = Directory.GetFiles(Path.Combine(Chart, "dashboards"), "*.json").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(source, copies);
        foreach (var file in source)
        {
            Assert.True(
                File.ReadAllBytes(Repo.Path("deploy", "grafana", file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Chart, "dashboards", file!))),
                $"helm/sweepcluster/dashboards/{file} differs from deploy/grafana/{file}: copy it over (helm cannot read outside the chart).");
        }

        var configMap = Single(Parse(await TemplateAsync([])), "ConfigMap", "r-sweepcluster-dashboards");
        var data = (YamlMappingNode)configMap["data"];
        foreach (var file in source)
        {
            var rendered = ((YamlScalarNode)data[file!]).Value!;
            Assert.Equal(File.ReadAllText(Repo.Path("deploy", "grafana", file!)).TrimEnd('\n'), rendered.TrimEnd('\n'));
        }
    }

    private static string[] ValuesArguments(string valueSet) =>
        valueSet == "defaults" ? [] : ["-f", Path.Combine(Chart, "ci", valueSet + "-values.yaml")];

    private static async Task<string> TemplateAsync(string[] arguments)
    {
        await DeployTools.EnsureAsync();
        var result = await ProcessRunner.RunAsync(DeployTools.Helm, ["template", "r", Chart, "--namespace", "sweeps", .. arguments]);
        Assert.True(result.ExitCode == 0, result.Describe("helm template"));
        return result.Output;
    }

    private static List<YamlMappingNode> Parse(string manifest)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(manifest));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().Where(n => n.Children.Count > 0).ToList();
    }

    private static string Kind(YamlMappingNode node) => ((YamlScalarNode)node["kind"]).Value!;

    private static string Name(YamlMappingNode node) => Scalar(node, "metadata", "name");

    private static YamlMappingNode Single(List<YamlMappingNode> objects, string kind, string name) =>
        Assert.Single(objects, o => Kind(o) == kind && Name(o) == name);

    private static YamlMappingNode PodSpec(YamlMappingNode workload) =>
        (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)workload["spec"])["template"])["spec"];

    private static List<YamlMappingNode> Containers(YamlMappingNode workload) =>
        ((YamlSequenceNode)PodSpec(workload)["containers"]).Children.Cast<YamlMappingNode>().ToList();

    private static string Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current)[key];
        }

        return ((YamlScalarNode)current).Value!;
    }
}
