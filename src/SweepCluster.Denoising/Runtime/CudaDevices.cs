using System.Diagnostics;
using System.Globalization;
using TorchSharp;

namespace SweepCluster.Denoising.Runtime;

/// <summary>
/// The CUDA devices this process can use. The count comes from libtorch (<c>torch.cuda.device_count()</c>); TorchSharp
/// exposes no device properties, so names and memory come from <c>nvidia-smi</c> when it is installed (every CUDA
/// image has it), and are unknown (empty name, 0 bytes) otherwise.
/// </summary>
public static class CudaDevices
{
    /// <summary>Whether libtorch was built with CUDA and sees at least one device.</summary>
    public static bool IsAvailable => torch.cuda.is_available();

    /// <summary>Every visible CUDA device, in libtorch's order; empty on the CPU package or without GPUs.</summary>
    public static IReadOnlyList<CudaDeviceInfo> List()
    {
        var count = torch.cuda.is_available() ? torch.cuda.device_count() : 0;
        if (count == 0)
        {
            return [];
        }

        var properties = QueryNvidiaSmi("--query-gpu=index,name,memory.total", "--format=csv,noheader,nounits");
        var devices = new List<CudaDeviceInfo>(count);
        for (var i = 0; i < count; i++)
        {
            var row = i < properties.Count ? properties[i] : null;
            var name = row is { Length: >= 2 } ? row[1] : string.Empty;
            var mebibytes = row is { Length: >= 3 } && long.TryParse(row[2], CultureInfo.InvariantCulture, out var m) ? m : 0;
            devices.Add(new CudaDeviceInfo(i, name, mebibytes * 1024 * 1024));
        }

        return devices;
    }

    /// <summary>GPU memory this process holds on any device, from <c>nvidia-smi</c>; 0 when unknown.</summary>
    public static long ProcessMemoryBytes()
    {
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return QueryNvidiaSmi("--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits")
            .Where(r => r.Length >= 2 && r[0] == pid)
            .Sum(r => long.TryParse(r[1], CultureInfo.InvariantCulture, out var m) ? m * 1024 * 1024 : 0);
    }

    private static List<string[]> QueryNvidiaSmi(params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return [];
            }

            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000) || process.ExitCode != 0)
            {
                return [];
            }

            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',', StringSplitOptions.TrimEntries))];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return [];
        }
    }
}
