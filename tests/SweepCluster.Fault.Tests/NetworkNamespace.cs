using System.Diagnostics;
using System.Security.Cryptography;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A network namespace joined to the host by a veth pair on a link-local /30 (169.254.X.1 on the
/// host side, .2 inside), so a process inside reaches the host only through that link, and taking
/// the host side down partitions it. Names and the subnet are random per instance; disposing removes both.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private NetworkNamespace(string name, string hostInterface, string innerInterface, string hostAddress, string innerAddress)
    {
        Name = name;
        HostInterface = hostInterface;
        InnerInterface = innerInterface;
        HostAddress = hostAddress;
        InnerAddress = innerAddress;
    }

    public string Name { get; }

    public string HostInterface { get; }

    public string InnerInterface { get; }

    /// <summary>The host side's address, reachable from inside.</summary>
    public string HostAddress { get; }

    public string InnerAddress { get; }

    /// <summary>The command prefix that runs a program inside the namespace.</summary>
    public IReadOnlyList<string> ExecPrefix => ["ip", "netns", "exec", Name];

    /// <summary>Creates the namespace and the link, both up (<see cref="NetworkNamespaceFactAttribute"/> says whether this machine allows it).</summary>
    public static NetworkNamespace Create()
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var octet = RandomNumberGenerator.GetInt32(64, 192);
        var created = new NetworkNamespace($"scfault-{suffix}", $"scf{suffix}h", $"scf{suffix}n", $"169.254.{octet}.1", $"169.254.{octet}.2");
        try
        {
            Ip("netns", "add", created.Name);
            Ip("link", "add", created.HostInterface, "type", "veth", "peer", "name", created.InnerInterface);
            Ip("link", "set", created.InnerInterface, "netns", created.Name);
            Ip("addr", "add", $"{created.HostAddress}/30", "dev", created.HostInterface);
            Ip("link", "set", created.HostInterface, "up");
            Ip("netns", "exec", created.Name, "ip", "addr", "add", $"{created.InnerAddress}/30", "dev", created.InnerInterface);
            Ip("netns", "exec", created.Name, "ip", "link", "set", created.InnerInterface, "up");
            Ip("netns", "exec", created.Name, "ip", "link", "set", "lo", "up");
            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    /// <summary>Takes the host side of the link down (partition) or up (heal).</summary>
    public void SetLink(bool up) => Ip("link", "set", HostInterface, up ? "up" : "down");

    public void Dispose()
    {
        // Deleting one end of a veth pair deletes both; the namespace goes last. Either may not exist.
        TryIp("link", "del", HostInterface);
        TryIp("netns", "del", Name);
    }

    private static void Ip(params string[] arguments)
    {
        var (exit, text) = Run(arguments);
        Assert.True(exit == 0, $"ip {string.Join(' ', arguments)} exited with {exit}: {text}");
    }

    private static void TryIp(params string[] arguments) => Run(arguments);

    /// <summary>Runs <c>ip</c> with <paramref name="arguments"/> (at most 30 s); its exit code and output.</summary>
    internal static (int ExitCode, string Output) Run(string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                return (-1, "timed out after 30 s");
            }

            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return (-1, $"could not run `ip` ({exception.Message}); install iproute2");
        }
    }
}
