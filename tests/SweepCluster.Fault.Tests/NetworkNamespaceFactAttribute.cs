using System.Diagnostics;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A fact that cuts a silo off with a network namespace (<c>ip netns</c>, a veth pair): skipped, with the reason, where
/// this machine does not allow one (not root, no <c>ip</c>, no network namespaces in a container without
/// CAP_NET_ADMIN).
/// </summary>
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public NetworkNamespaceFactAttribute()
    {
        if (Unavailable.Value is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>Null when a namespace can be created and removed here; else why not.</summary>
    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces are a Linux feature";
        }

        if (Environment.UserName != "root")
        {
            return $"creating a network namespace needs root; the tests run as {Environment.UserName}";
        }

        var name = $"scfault-probe-{Environment.ProcessId}";
        var (exit, text) = NetworkNamespace.Run(["netns", "add", name]);
        if (exit != 0)
        {
            return $"`ip netns add` failed here ({text.Trim()}): no network namespaces on this machine";
        }

        NetworkNamespace.Run(["netns", "del", name]);
        return null;
    }
}
