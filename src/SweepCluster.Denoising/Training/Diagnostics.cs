using System.Globalization;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// The notes' <c>diagnose.py</c>: trains a few steps and prints, per step, the z distance, recon and cross errors,
/// every loss term and the gradient magnitude per module, after the tensor shapes of one forward pass; then checks
/// what the notes say to look for, each with a verdict: the z distance is small (below 0.01), the cross error goes
/// down (last step below the first), and every module receives a non-zero gradient.
/// </summary>
public static class Diagnostics
{
    /// <summary>The z distance the notes call small.</summary>
    public const double SmallZDistance = 0.01;

    /// <summary>Runs <paramref name="steps"/> training steps (at most the configured total) and writes the report; returns whether every check passed.</summary>
    public static Task<bool> RunAsync(TrialConfig config, int steps, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        return Task.Factory.StartNew(() => Run(config, steps, output, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static bool Run(TrialConfig config, int steps, TextWriter output, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        var (train, _) = PairedDatasets.Create(config.Data);
        var device = TrialRunner.ResolveDevice(config.Device);
        using var trainer = new C2CTrainer(config, train, device);
        output.WriteLine($"config {config.Name}: architecture {config.Model.Architecture}, skip mode {config.Model.SkipMode}, cross skips {config.Trainer.CrossSkips}, same-domain skip {config.Trainer.SameDomainUseSkip}, mode {config.Trainer.Mode}, device {device}");
        WriteShapes(trainer, train, output);
        var history = new List<IReadOnlyDictionary<string, double>>();
        var run = (int)Math.Min(steps, trainer.TotalSteps);
        if (run < steps)
        {
            output.WriteLine($"(the configuration has only {trainer.TotalSteps} steps; running {run})");
        }

        for (var i = 0; i < run; i++)
        {
            ct.ThrowIfCancellationRequested();
            var m = trainer.RunNextStep().Metrics;
            history.Add(m);
            var grads = string.Join(" ", m.Where(p => p.Key.StartsWith("grad_norm.", StringComparison.Ordinal)).Select(p => string.Create(inv, $"{p.Key["grad_norm.".Length..]}={p.Value:0.###e+0}")));
            var losses = string.Join(" ", m.Where(p => p.Key.StartsWith("loss.", StringComparison.Ordinal)).Select(p => string.Create(inv, $"{p.Key["loss.".Length..]}={p.Value:0.0000}")));
            output.WriteLine(string.Create(inv, $"step {i + 1,3}: z_dist={m["z_distance"]:0.00000} recon_err={m["loss.recon"]:0.0000} cross_err={m["loss.cross"]:0.0000} | {losses} | grad {grads}"));
        }

        output.WriteLine();
        output.WriteLine("What to look for:");
        var zLast = history[^1]["z_distance"];
        var zOk = zLast < SmallZDistance;
        output.WriteLine(string.Create(inv, $"  [{Verdict(zOk)}] z distance should be very small (< {SmallZDistance}): last {zLast:0.00000}"));
        var crossFirst = history[0]["loss.cross"];
        var crossLast = history[^1]["loss.cross"];
        var crossOk = history.Count > 1 && crossLast < crossFirst;
        output.WriteLine(string.Create(inv, $"  [{Verdict(crossOk)}] cross error must go down: {crossFirst:0.0000} -> {crossLast:0.0000}"));
        var reconFirst = history[0]["loss.recon"];
        var reconLast = history[^1]["loss.recon"];
        output.WriteLine(string.Create(inv, $"  [{Verdict(reconLast < reconFirst)}] recon error should go down: {reconFirst:0.0000} -> {reconLast:0.0000}"));
        var gradNames = history[0].Keys.Where(k => k.StartsWith("grad_norm.", StringComparison.Ordinal)).ToList();
        var gradsOk = true;
        foreach (var name in gradNames)
        {
            var zeroSteps = history.Count(h => !(h[name] > 0));
            gradsOk &= zeroSteps == 0;
            output.WriteLine(string.Create(inv, $"  [{Verdict(zeroSteps == 0)}] gradient of {name["grad_norm.".Length..]} non-zero: zero in {zeroSteps} of {history.Count} steps, last {history[^1][name]:0.###e+0}"));
        }

        var all = zOk && crossOk && gradsOk;
        output.WriteLine(all ? "All checks passed." : "Some checks failed: see the notes' core hypotheses (latent, data, decoder).");
        output.Flush();
        return all;
    }

    private static string Verdict(bool ok) => ok ? " OK " : "FAIL";

    private static void WriteShapes(C2CTrainer trainer, IPairedDataset train, TextWriter output)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = new BatchLoader(train, trainer.Config.Data.BatchSize, trainer.Config.Data.Seed, shuffle: false).GetBatch(1, 0);
        var x = tensor(batch.NoisyA, batch.Shape).to(trainer.Device);
        var o = trainer.Model.forward(x, tensor(batch.NoisyB, batch.Shape).to(trainer.Device));
        static string S(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
        output.WriteLine($"shapes: x {S(x)}, z {S(o.EncodedA.Z)}{(o.EncodedA.ZNoise is null ? string.Empty : $", z_noise {S(o.EncodedA.ZNoise)}")}, skips {string.Join(" ", o.EncodedA.Skips.Select(S))}");
        output.WriteLine($"        x_a_recon {S(o.XARecon)}, x_a_from_b {S(o.XAFromB)}, x_b_recon {S(o.XBRecon)}, x_b_from_a {S(o.XBFromA)}");
    }
}
