using System.Diagnostics;
using System.Globalization;
using SweepCluster.Benchmarks;

// One UNet training step (forward, backward, Adam) here and in PyTorch on the same libtorch,
// same thread count, in alternating rounds; prints each side's median step time and the ratio.
var threads = ArgInt(args, "--threads", Math.Min(Environment.ProcessorCount, 2));
var rounds = ArgInt(args, "--rounds", 3);
var steps = ArgInt(args, "--steps", 20);
const int Warmup = 5;

SweepCluster.Torch.Torch.Threads = threads;
using var ours = new UNetStep();
for (var i = 0; i < Warmup; i++)
{
    ours.Step();
}

var ourTimes = new List<double>();
var theirTimes = new List<double>();
for (var round = 0; round < rounds; round++)
{
    for (var i = 0; i < steps; i++)
    {
        var start = Stopwatch.GetTimestamp();
        ours.Step();
        ourTimes.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    theirTimes.AddRange(RunPyTorch(threads, Warmup, steps));
}

var ourMedian = Median(ourTimes);
var theirMedian = Median(theirTimes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"UNet step [32,64,128], 8x1x64x64, GroupNorm, Adam; threads={threads}, {rounds} rounds x {steps} steps"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  SweepCluster.Torch  median {ourMedian * 1000:F2} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  PyTorch (reference) median {theirMedian * 1000:F2} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio (ours / PyTorch) {ourMedian / theirMedian:F3}"));
return 0;

static IEnumerable<double> RunPyTorch(int threads, int warmup, int steps)
{
    var start = new ProcessStartInfo("/usr/bin/python3")
    {
        RedirectStandardOutput = true,
        UseShellExecute = false,
    };
    start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Reference", "unet_step.py"));
    start.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
    start.ArgumentList.Add(warmup.ToString(CultureInfo.InvariantCulture));
    start.ArgumentList.Add(steps.ToString(CultureInfo.InvariantCulture));
    using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"the PyTorch reference exited with {process.ExitCode}");
    }

    return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList();
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static int ArgInt(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
