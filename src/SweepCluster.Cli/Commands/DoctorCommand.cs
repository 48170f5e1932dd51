using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SweepCluster.Torch;
using SweepCluster.Torch.Nn;
using SweepCluster.Torch.Optim;

namespace SweepCluster.Cli.Commands;

/// <summary><c>sweepcluster doctor</c>: what this machine can train with, and how fast.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var threads = new Option<int?>("--threads") { Description = "CPU threads for the timed step (default: libtorch's)" };
        var command = new Command("doctor", "Print libtorch's version, threads and devices, and time one training step.") { threads };
        command.SetAction(result => Run(result.GetValue(threads)));
        return command;
    }

    private static int Run(int? threads)
    {
        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(invariant, $"libtorch        {Torch.Torch.LibtorchVersion} (shim ABI {Torch.Torch.AbiVersion})"));
        if (threads is { } t)
        {
            Torch.Torch.Threads = t;
        }

        Console.WriteLine(string.Create(invariant, $"CPU threads     {Torch.Torch.Threads} of {Environment.ProcessorCount} cores"));
        var devices = Torch.Torch.CudaDevices();
        Console.WriteLine(devices.Count == 0 ? "CUDA devices    none (CPU slots only)" : string.Create(invariant, $"CUDA devices    {devices.Count}"));
        foreach (var d in devices)
        {
            Console.WriteLine(string.Create(invariant, $"  cuda:{d.Index}  {d.Name}, {d.TotalMemory / (1024.0 * 1024 * 1024):F1} GiB"));
        }

        var device = devices.Count > 0 ? Device.Cuda() : Device.Cpu;
        var (median, loss) = TimeSteps(device);
        Console.WriteLine(string.Create(invariant, $"train step      {median * 1000:F1} ms median on {device} (conv net 4x1x64x64, Adam), loss {loss:F4}"));
        return 0;
    }

    private static (double Median, double Loss) TimeSteps(Device device)
    {
        using var generator = new Generator(0);
        using var model = new Sequential(
            new Conv2d(1, 32, 3, padding: 1, generator: generator),
            new GroupNorm(1, 32),
            Activation.Relu(),
            new Conv2d(32, 32, 3, padding: 1, generator: generator),
            new GroupNorm(1, 32),
            Activation.Relu(),
            new Conv2d(32, 1, 1, generator: generator));
        model.To(device);
        using var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        using var x = Tensor.Randn([4, 1, 64, 64], generator, device).DetachFromScope();
        var times = new List<double>();
        var loss = 0.0;
        for (var i = 0; i < 8; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using (Torch.Torch.NewDisposeScope())
            {
                optimizer.ZeroGrad();
                var l = Functional.L1Loss(model.Forward(x), x);
                l.Backward();
                optimizer.Step();
                loss = l.Item();
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
