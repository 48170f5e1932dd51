using System.Diagnostics;
using System.Globalization;
using SweepCluster.Benchmarks;
using SweepCluster.Testing;

// Training steps here (TorchSharp) and in PyTorch (Debian's python3-torch), same thread count, in alternating
// rounds; prints both libtorch versions, each side's median step time and the ratio.
//   --model unet|c2c|all (default all)   --threads N   --rounds N   --steps N
var threads = ArgInt(args, "--threads", Math.Min(Environment.ProcessorCount, 2));
var rounds = ArgInt(args, "--rounds", 3);
var steps = ArgInt(args, "--steps", 20);
var model = ArgString(args, "--model", "all");
const int Warmup = 5;
// .NET promotes a method to optimised code after 30 calls, on a background thread that competes with
// libtorch's threads; a method called once per step gets there only after 30 steps. Steady state is what
// a training run sees, so this side warms up past that point.
const int OurWarmup = 40;
// Debian's interpreter, with python3-torch: the python3 on PATH may be another one without PyTorch.
const string Python = "/usr/bin/python3";
// Before anything starts: the PyTorch side would otherwise fail after our first measurements, with a traceback.
if (ReferenceCheck.Describe(ReferenceCheck.PythonModules(Python, [new PythonModule("torch", "python3-torch", "the PyTorch reference")]), otherwise: null) is { } missing)
{
    Console.Error.WriteLine(missing);
    return 3;
}

SweepCluster.Denoising.Runtime.TorchRuntime.Configure(threads);
var invariant = CultureInfo.InvariantCulture;
Console.WriteLine($"SweepCluster: TorchSharp {SweepCluster.Denoising.Runtime.TorchRuntime.TorchSharpVersion}, libtorch {SweepCluster.Denoising.Runtime.TorchRuntime.LibtorchVersion}");
Console.WriteLine($"PyTorch (reference): {PyTorchVersion()}");

if (model is "unet" or "all")
{
    using var unet = new UNetStep();
    Compare(
        "UNet step [32,64,128], 8x1x64x64, GroupNorm, Adam",
        () => unet.Step(),
        ["unet_step.py", Str(threads), Str(Warmup), Str(steps)]);
}

if (model is "c2c" or "all")
{
    // The default trial configuration's size (docs/trial-config.md): image 64, features [32,64,128], latent 256, batch 8.
    using var c2c = new C2CStep(64, [32, 64, 128], 256, 8);
    var referenceDirectory = Path.Combine(AppContext.BaseDirectory, "Reference");
    Compare(
        "C2C step (default config: 64x64, [32,64,128], latent 256, batch 8; 4 outputs, 5 loss terms, grad norms, clip, Adam)",
        () => c2c.Step(),
        ["c2c_step.py", referenceDirectory, Str(threads), Str(Warmup), Str(steps), "64", "32,64,128", "256", "8"]);
}

return 0;

void Compare(string title, Action ourStep, string[] python)
{
    for (var i = 0; i < OurWarmup; i++)
    {
        ourStep();
    }

    var ourTimes = new List<double>();
    var theirTimes = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        for (var i = 0; i < steps; i++)
        {
            var start = Stopwatch.GetTimestamp();
            ourStep();
            ourTimes.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        theirTimes.AddRange(RunPyTorch(python));
    }

    var ours = Median(ourTimes);
    var theirs = Median(theirTimes);
    Console.WriteLine(string.Create(invariant, $"{title}; threads={threads}, {rounds} rounds x {steps} steps"));
    Console.WriteLine(string.Create(invariant, $"  SweepCluster         median {ours * 1000:F2} ms"));
    Console.WriteLine(string.Create(invariant, $"  PyTorch (reference)  median {theirs * 1000:F2} ms"));
    Console.WriteLine(string.Create(invariant, $"  ratio (ours / PyTorch) {ours / theirs:F3}"));
}

static IEnumerable<double> RunPyTorch(string[] arguments)
{
    var start = new ProcessStartInfo(Python)
    {
        RedirectStandardOutput = true,
        UseShellExecute = false,
    };
    start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Reference", arguments[0]));
    foreach (var argument in arguments.Skip(1))
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + Python);
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"the PyTorch reference exited with {process.ExitCode}");
    }

    return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList();
}

static string PyTorchVersion()
{
    var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, UseShellExecute = false };
    start.ArgumentList.Add("-c");
    start.ArgumentList.Add("import torch; print(torch.__version__)");
    using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + Python);
    var version = process.StandardOutput.ReadToEnd().Trim();
    process.WaitForExit();
    return process.ExitCode == 0 ? "libtorch " + version : "not available (install python3-torch: ./build.sh deps)";
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

static int ArgInt(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static string ArgString(string[] args, string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
