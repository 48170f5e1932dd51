using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deploy.Tests;

[Trait("Category", "Integration")]
public sealed class HelmChartTests
{
    private static readonly string Chart = Repo.Path("helm", "sweepcluster");

    public static TheoryData<string> ValueSets() => new("defaults", "external-postgres", "ingress-servicemonitor", "cpu-silos", "orleans-kubernetes-tls");

    /// <summary>
    /// The value sets of <see cref="ValueSets"/> and a few more given on the command line: other Orleans ports, no
    /// gateway, the network policy off, a LoadBalancer Service.
    /// </summary>
    public static TheoryData<string, string[]> ServiceValueSets() => new()
    {
        { "defaults", [] },
        { "external-postgres", ["-f", ValuesFile("external-postgres")] },
        { "ingress-servicemonitor", ["-f", ValuesFile("ingress-servicemonitor")] },
        { "cpu-silos", ["-f", ValuesFile("cpu-silos")] },
        { "orleans-kubernetes-tls", ["-f", ValuesFile("orleans-kubernetes-tls")] },
        {
            "command-line ports",
            ["--set", "orleans.siloPort=8081", "--set", "coordinator.port=8082", "--set", "coordinator.gatewayPort=0",
                "--set", "networkPolicy.enabled=false", "--set", "coordinator.service.type=NodePort", "--set", "silo.kind=StatefulSet"]
        },
    };

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
        Assert.Equal(40, Scalar(tokens, "stringData", "user-token").Length);
        Assert.DoesNotContain(objects, o => Kind(o) is "Ingress" or "ServiceMonitor");
        // Nothing is stored on the coordinator's disk: checkpoints and state live in PostgreSQL.
        Assert.DoesNotContain(objects, o => Kind(o) == "PersistentVolumeClaim");

        var dashboards = Single(objects, "ConfigMap", "r-sweepcluster-dashboards");
        Assert.Equal("1", Scalar(dashboards, "metadata", "labels", "grafana_dashboard"));
    }

    [Fact]
    public async Task Coordinator_and_silos_join_the_cluster_through_the_store_with_no_silo_token()
    {
        var objects = Parse(await TemplateAsync([]));
        var coordinator = Containers(Single(objects, "Deployment", "r-sweepcluster-coordinator"))[0];
        var silo = Containers(Single(objects, "DaemonSet", "r-sweepcluster-silo"))[0];

        Assert.Equal(
            ["coordinator", "--listen", "http://0.0.0.0:8080", "--gateway-port", "30000", "--silo-port", "11111", "--advertise", "$(POD_IP)", "--cluster-id", "sweepcluster"],
            Args(coordinator));
        var siloArgs = Args(silo);
        Assert.Equal(["silo", "--gateway-port", "0", "--silo-port", "11111", "--advertise", "$(POD_IP)", "--cluster-id", "sweepcluster"], siloArgs.Take(9));
        Assert.DoesNotContain("--coordinator", siloArgs);
        foreach (var process in new[] { coordinator, silo })
        {
            var env = Env(process);
            // The store URL (with its password) comes from the Secret as SWEEPCLUSTER_STORE, the CLI's default for --store.
            Assert.Equal(("r-sweepcluster-postgresql", "url"), (Scalar(env["SWEEPCLUSTER_STORE"], "valueFrom", "secretKeyRef", "name"), Scalar(env["SWEEPCLUSTER_STORE"], "valueFrom", "secretKeyRef", "key")));
            Assert.Equal("status.podIP", Scalar(env["POD_IP"], "valueFrom", "fieldRef", "fieldPath"));
            Assert.DoesNotContain("SWEEPCLUSTER_SILO_TOKEN", env.Keys);
            Assert.DoesNotContain(Args(process), a => a.Contains("postgres://", StringComparison.Ordinal));
        }

        Assert.Equal("user-token", Scalar(Env(coordinator)["SWEEPCLUSTER_USER_TOKEN"], "valueFrom", "secretKeyRef", "key"));
        var tokens = Single(objects, "Secret", "r-sweepcluster-tokens");
        Assert.Equal(["user-token"], ((YamlMappingNode)tokens["stringData"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!));
    }

    [Theory]
    [MemberData(nameof(ServiceValueSets))]
    public async Task Services_expose_only_http_ports_never_the_orleans_ports(string valueSet, string[] arguments)
    {
        var objects = Parse(await TemplateAsync(arguments));
        var orleansPorts = new HashSet<int> { 11111, 30000 };
        foreach (var workload in objects.Where(o => Kind(o) is "Deployment" or "DaemonSet" or "StatefulSet"))
        {
            foreach (var port in ContainerPorts(workload).Where(p => p.Name.StartsWith("orleans-", StringComparison.Ordinal)))
            {
                orleansPorts.Add(port.Number);
            }
        }

        var services = objects.Where(o => Kind(o) == "Service").ToList();
        Assert.NotEmpty(services);
        foreach (var service in services)
        {
            var component = Scalar(service, "spec", "selector", "app.kubernetes.io/component");
            var ports = ((YamlSequenceNode)((YamlMappingNode)service["spec"])["ports"]).Children.Cast<YamlMappingNode>().ToList();
            foreach (var port in ports)
            {
                var number = int.Parse(Scalar(port, "port"), System.Globalization.CultureInfo.InvariantCulture);
                var target = Scalar(port, "targetPort");
                Assert.False(orleansPorts.Contains(number), $"{valueSet}: Service {Name(service)} exposes port {number}, an Orleans port");
                Assert.False(target.StartsWith("orleans-", StringComparison.Ordinal) || orleansPorts.Contains(int.TryParse(target, out var n) ? n : -1),
                    $"{valueSet}: Service {Name(service)} targets {target}, an Orleans port");
            }

            // Each Service names exactly one port: the coordinator's HTTP API, the silos' HTTP /metrics, or the bundled
            // database's PostgreSQL port (the only non-HTTP one, and no Orleans port).
            var expected = component switch
            {
                "coordinator" => "http",
                "silo" => "metrics",
                "postgresql" => "postgres",
                _ => throw new Xunit.Sdk.XunitException($"{valueSet}: unexpected Service {Name(service)} for component {component}"),
            };
            Assert.Equal([expected], ports.Select(p => Scalar(p, "targetPort")));
        }
    }

    [Fact]
    public async Task Orleans_ports_are_container_ports_that_the_network_policy_keeps_to_the_release()
    {
        var objects = Parse(await TemplateAsync([]));

        Assert.Equal(
            [("http", 8080), ("orleans-silo", 11111), ("orleans-gateway", 30000)],
            ContainerPorts(Single(objects, "Deployment", "r-sweepcluster-coordinator")));
        Assert.Equal([("metrics", 9464), ("orleans-silo", 11111)], ContainerPorts(Single(objects, "DaemonSet", "r-sweepcluster-silo")));

        var policy = Single(objects, "NetworkPolicy", "r-sweepcluster-orleans");
        var spec = (YamlMappingNode)policy["spec"];
        Assert.Equal("r", Scalar(spec, "podSelector", "matchLabels", "app.kubernetes.io/instance"));
        Assert.Equal(["Ingress"], ((YamlSequenceNode)spec["policyTypes"]).Children.Select(c => ((YamlScalarNode)c).Value));
        var rules = ((YamlSequenceNode)spec["ingress"]).Children.Cast<YamlMappingNode>().ToList();
        Assert.Equal(2, rules.Count);
        // The Orleans ports: only from pods of the release (same namespace, same instance label).
        var orleans = Assert.Single(rules, r => r.Children.ContainsKey("from"));
        Assert.Equal(["orleans-silo", "orleans-gateway"], RulePorts(orleans));
        var peers = (YamlMappingNode)Assert.Single(((YamlSequenceNode)orleans["from"]).Children);
        Assert.Equal(["podSelector"], peers.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equal("r", Scalar(peers, "podSelector", "matchLabels", "app.kubernetes.io/instance"));
        // The token-protected HTTP ports: from anywhere.
        var open = Assert.Single(rules, r => !r.Children.ContainsKey("from"));
        Assert.Equal(["http", "metrics"], RulePorts(open));

        var withoutPolicy = Parse(await TemplateAsync(["--set", "networkPolicy.enabled=false"]));
        Assert.DoesNotContain(withoutPolicy, o => Kind(o) == "NetworkPolicy");
    }

    [Fact]
    public async Task Kubernetes_hosting_adds_a_service_account_with_pod_rights_and_the_pod_identity()
    {
        var defaults = Parse(await TemplateAsync([]));
        Assert.DoesNotContain(defaults, o => Kind(o) is "ServiceAccount" or "Role" or "RoleBinding");
        Assert.All(defaults.Where(o => Kind(o) is "Deployment" or "DaemonSet"), workload =>
        {
            Assert.Equal("false", Scalar(PodSpec(workload), "automountServiceAccountToken"));
            Assert.DoesNotContain("--kubernetes", Args(Containers(workload)[0]));
        });

        var objects = Parse(await TemplateAsync(["-f", ValuesFile("orleans-kubernetes-tls")]));

        Single(objects, "ServiceAccount", "r-sweepcluster-orleans");
        var role = Single(objects, "Role", "r-sweepcluster-orleans");
        var rule = (YamlMappingNode)Assert.Single(((YamlSequenceNode)role["rules"]).Children);
        Assert.Equal(["pods"], ((YamlSequenceNode)rule["resources"]).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Equal(["delete", "get", "list", "patch", "watch"], ((YamlSequenceNode)rule["verbs"]).Children.Select(c => ((YamlScalarNode)c).Value!).Order());
        var binding = Single(objects, "RoleBinding", "r-sweepcluster-orleans");
        Assert.Equal("r-sweepcluster-orleans", Scalar(binding, "roleRef", "name"));
        var subject = (YamlMappingNode)Assert.Single(((YamlSequenceNode)binding["subjects"]).Children);
        Assert.Equal(("ServiceAccount", "r-sweepcluster-orleans", "sweeps"), (Scalar(subject, "kind"), Scalar(subject, "name"), Scalar(subject, "namespace")));

        foreach (var workload in new[] { Single(objects, "Deployment", "r-sweepcluster-coordinator"), Single(objects, "StatefulSet", "r-sweepcluster-silo") })
        {
            Assert.Equal("r-sweepcluster-orleans", Scalar(PodSpec(workload), "serviceAccountName"));
            var labels = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)workload["spec"])["template"])["metadata"];
            Assert.Equal("sweepcluster", Scalar(labels, "labels", "orleans/serviceId"));
            Assert.Equal("sweeps-blue", Scalar(labels, "labels", "orleans/clusterId"));
            var container = Containers(workload)[0];
            var args = Args(container);
            Assert.Contains("--kubernetes", args);
            Assert.Equal("sweeps-blue", args[args.IndexOf("--cluster-id") + 1]);
            var env = Env(container);
            Assert.Equal("metadata.name", Scalar(env["POD_NAME"], "valueFrom", "fieldRef", "fieldPath"));
            Assert.Equal("metadata.namespace", Scalar(env["POD_NAMESPACE"], "valueFrom", "fieldRef", "fieldPath"));
            Assert.Equal("status.podIP", Scalar(env["POD_IP"], "valueFrom", "fieldRef", "fieldPath"));
            // Must equal what the process uses, or Kubernetes hosting would override its ids (the silo refuses to start).
            Assert.Equal("sweepcluster", Scalar(env["ORLEANS_SERVICE_ID"], "value"));
            Assert.Equal("sweeps-blue", Scalar(env["ORLEANS_CLUSTER_ID"], "value"));
        }
    }

    [Fact]
    public void The_charts_service_id_is_the_one_the_processes_use()
    {
        // The CLI has no option for Orleans' service id (it keys the grain state); the chart's labels and
        // ORLEANS_SERVICE_ID must carry the code's default.
        var hosting = File.ReadAllText(Repo.Path("src", "SweepCluster.Cluster", "Hosting", "SweepClusterSiloBuilderExtensions.cs"));
        var helpers = File.ReadAllText(Path.Combine(Chart, "templates", "_helpers.tpl"));

        Assert.Contains("public const string DefaultServiceId = \"sweepcluster\";", hosting, StringComparison.Ordinal);
        Assert.Contains("{{- define \"sweepcluster.serviceId\" -}}\nsweepcluster\n{{- end -}}", helpers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_mounts_the_secret_and_hands_its_files_to_every_silo()
    {
        var defaults = Parse(await TemplateAsync([]));
        Assert.DoesNotContain(defaults.Where(o => Kind(o) is "Deployment" or "DaemonSet").SelectMany(w => Args(Containers(w)[0])), a => a.StartsWith("--tls", StringComparison.Ordinal));

        var objects = Parse(await TemplateAsync(["-f", ValuesFile("orleans-kubernetes-tls")]));

        foreach (var workload in new[] { Single(objects, "Deployment", "r-sweepcluster-coordinator"), Single(objects, "StatefulSet", "r-sweepcluster-silo") })
        {
            var volume = Assert.Single(((YamlSequenceNode)PodSpec(workload)["volumes"]).Children.Cast<YamlMappingNode>(), v => Scalar(v, "name") == "orleans-tls");
            Assert.Equal("sweepcluster-orleans-tls", Scalar(volume, "secret", "secretName"));
            var container = Containers(workload)[0];
            var mount = Assert.Single(((YamlSequenceNode)container["volumeMounts"]).Children.Cast<YamlMappingNode>(), v => Scalar(v, "name") == "orleans-tls");
            Assert.Equal(("/etc/sweepcluster/orleans-tls", "true"), (Scalar(mount, "mountPath"), Scalar(mount, "readOnly")));
            var args = Args(container);
            Assert.Equal("/etc/sweepcluster/orleans-tls/tls.crt", args[args.IndexOf("--tls-cert") + 1]);
            Assert.Equal("/etc/sweepcluster/orleans-tls/tls.key", args[args.IndexOf("--tls-key") + 1]);
            Assert.Equal("/etc/sweepcluster/orleans-tls/ca.crt", args[args.IndexOf("--tls-ca") + 1]);
        }
    }

    [Theory]
    [InlineData("orleans.tls.enabled=true", "secretName")]
    [InlineData("orleans.siloPort=8080", "must differ")]
    [InlineData("tokens.silo=abc", "silo")]
    public async Task Values_the_chart_cannot_honour_are_refused(string setting, string message)
    {
        await DeployTools.EnsureAsync();

        var result = await ProcessRunner.RunAsync(DeployTools.Helm, ["template", "r", Chart, "--set", setting]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
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
        valueSet == "defaults" ? [] : ["-f", ValuesFile(valueSet)];

    private static string ValuesFile(string valueSet) => Path.Combine(Chart, "ci", valueSet + "-values.yaml");

    private static List<string> Args(YamlMappingNode container) =>
        ((YamlSequenceNode)container["args"]).Children.Select(a => ((YamlScalarNode)a).Value!).ToList();

    private static Dictionary<string, YamlMappingNode> Env(YamlMappingNode container) =>
        ((YamlSequenceNode)container["env"]).Children.Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"), e => e);

    private static List<(string Name, int Number)> ContainerPorts(YamlMappingNode workload) =>
        Containers(workload)
            .Where(c => c.Children.ContainsKey("ports"))
            .SelectMany(c => ((YamlSequenceNode)c["ports"]).Children.Cast<YamlMappingNode>())
            .Select(p => (Scalar(p, "name"), int.Parse(Scalar(p, "containerPort"), System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    private static List<string> RulePorts(YamlMappingNode rule) =>
        ((YamlSequenceNode)rule["ports"]).Children.Select(p => Scalar((YamlMappingNode)p, "port")).ToList();

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
