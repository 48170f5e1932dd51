using Orleans.Hosting;
using Orleans.Hosting.Kubernetes;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// Kubernetes hosting for a silo of the cluster mode, on top of <see cref="SweepClusterSiloBuilderExtensions.UseSweepClusterPostgres"/>:
/// the membership table stays in PostgreSQL; Kubernetes adds what it knows about pods.
/// </summary>
/// <remarks>
/// <para>
/// Orleans' <c>UseKubernetesHosting</c> names the silo after its pod (<c>POD_NAME</c>), advertises the pod's address
/// (<c>POD_IP</c>) unless one is given, and runs an agent on up to two silos that watches the pods labelled
/// <c>orleans/serviceId</c> and <c>orleans/clusterId</c> in the pod's namespace (<c>POD_NAMESPACE</c>): a silo whose pod
/// is deleted is declared dead at once, without waiting for missed probes, and, with
/// <see cref="KubernetesHostingOptions.DeleteDefunctSiloPods"/> (set here), the pod of a silo declared dead is deleted
/// so its controller starts a fresh one. The pods' service account needs get, list, watch, patch (the agent labels its
/// own pod when the labels are missing) and delete on pods.
/// </para>
/// <para>
/// When it starts, the agent declares dead every active member whose name is not a pod of the cluster: every silo of a
/// cluster that uses Kubernetes hosting must run as such a pod.
/// </para>
/// </remarks>
public static class SweepClusterKubernetesExtensions
{
    /// <summary>
    /// Adds Kubernetes hosting to a silo already set up with <see cref="SweepClusterSiloBuilderExtensions.UseSweepClusterPostgres"/>
    /// and the same <paramref name="options"/>. Throws when <c>ORLEANS_SERVICE_ID</c> or <c>ORLEANS_CLUSTER_ID</c> is set
    /// to a value other than the options' (Orleans would let the variable win, splitting the cluster or its grain state).
    /// </summary>
    public static ISiloBuilder UseSweepClusterKubernetes(this ISiloBuilder builder, ClusterOrleansOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (IdentityConflict(options, Environment.GetEnvironmentVariable) is { } conflict)
        {
            throw new InvalidOperationException(conflict);
        }

        return builder.UseKubernetesHosting(hosting => hosting.Configure(k => k.DeleteDefunctSiloPods = true));
    }

    /// <summary>
    /// Why the service or cluster id in the environment (<paramref name="environment"/>: a variable's value or null) disagrees
    /// with <paramref name="options"/>; null when it agrees or sets neither.
    /// </summary>
    public static string? IdentityConflict(ClusterOrleansOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var (variable, expected, source) in new[]
        {
            (KubernetesHostingOptions.ServiceIdEnvironmentVariable, options.ServiceId, "the service id"),
            (KubernetesHostingOptions.ClusterIdEnvironmentVariable, options.ClusterId, "the cluster id"),
        })
        {
            var value = environment(variable);
            if (!string.IsNullOrWhiteSpace(value) && !string.Equals(value, expected, StringComparison.Ordinal))
            {
                return $"{variable}={value} differs from {source} '{expected}': Kubernetes hosting would use the variable; "
                    + "give both the same value (the chart sets them from one value).";
            }
        }

        return null;
    }
}
