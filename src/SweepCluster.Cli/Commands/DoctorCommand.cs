using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SweepCluster.Denoising.Models;
using SweepCluster.Denoising.Runtime;
using SweepCluster.Denoising.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Cli.Commands;

/// <summary><c>sweepcluster doctor</c>: what this machine can train with, and how fast.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var threads = new Option<int?>("--threads") { Description = "CPU threads for the timed step (default: libtorch's)" };
        var command = new Command("doctor", "Print the tensor engine's versions, threads and devices, and time one training step.") { threads };
        command.SetAction(result => Run(result.GetValue(threads)));
        return command;
    }

    private static int Run(int? threads)
    {
        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine($"TorchSharp      {TorchRuntime.TorchSharpVersion}");
        string libtorch;
        try
        {
            libtorch = TorchRuntime.LibtorchVersion;
        }
        catch (TypeInitializationException e)
        {
            Console.WriteLine($"libtorch        did not load: {(e.InnerException ?? e).Message.Split('\n')[0]}");
            Console.WriteLine($"compat fix      {TorchRuntime.CompatibilityNote() ?? "not applied (the build found it not needed, or did not run: ./build.sh build)"}");
            return 1;
        }

        Console.WriteLine($"libtorch        {libtorch}");
        var note = TorchRuntime.CompatibilityNote();
        Console.WriteLine(note is null
            ? "compat fix      not applied: the system libstdc++ provides what libLibTorchSharp.so needs"
            : "compat fix      applied to the build's copy of libLibTorchSharp.so:" + Environment.NewLine + string.Join(Environment.NewLine, note.Split('\n').Select(l => "                " + l)));
        TorchRuntime.Configure(threads ?? 0);
        Console.WriteLine(string.Create(invariant, $"CPU threads     {TorchRuntime.Threads} of {Environment.ProcessorCount} cores"));
        Console.WriteLine($"CPU convolutions {TorchRuntime.CpuConvolutions}");
        var devices = CudaDevices.List();
        Console.WriteLine(devices.Count == 0 ? "CUDA devices    none (CPU slots only)" : string.Create(invariant, $"CUDA devices    {devices.Count}"));
        foreach (var d in devices)
        {
            Console.WriteLine(string.Create(invariant, $"  cuda:{d.Index}  {d.Name}, {d.TotalMemory / (1024.0 * 1024 * 1024):F1} GiB"));
        }

        var device = devices.Count > 0 ? CUDA : CPU;
        var (median, loss) = TimeSteps(device);
        Console.WriteLine(string.Create(invariant, $"train step      {median * 1000:F1} ms median on {device} (conv net 4x1x64x64, Adam), loss {loss:F4}"));
        return 0;
    }

    private static (double Median, double Loss) TimeSteps(Device device)
    {
        manual_seed(0);
        using var model = nn.Sequential(
            Layers.Conv2d(1, 32, 3, padding: 1),
            Layers.GroupNorm(1, 32),
            nn.ReLU(),
            Layers.Conv2d(32, 32, 3, padding: 1),
            Layers.GroupNorm(1, 32),
            nn.ReLU(),
            Layers.Conv2d(32, 1, 1));
        model.to(device);
        using var optimizer = new HeldScalarAdam(model.parameters(), 1e-3, 0.9, 0.999, 0);
        using var x = randn([4, 1, 64, 64], device: device);
        var times = new List<double>();
        var loss = 0.0;
        for (var i = 0; i < 8; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                var l = nn.functional.l1_loss(model.forward(x), x);
                l.backward();
                optimizer.step();
                loss = l.item<float>();
            }

            if (i >= 3)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }

        times.Sort();
        return (times[times.Count / 2], loss);
    }
}
