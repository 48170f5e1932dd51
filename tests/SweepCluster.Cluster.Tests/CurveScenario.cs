using SweepCluster.Cluster.EarlyStopping;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// Synthetic learning curves and the order their points arrive in on a cluster of a few slots: each trial's value at
/// epoch e is <c>level + rate * ln(e) + noise</c> (a PSNR-like rising curve; negated for a minimized metric), every
/// trial trains its epochs at its own pace, a slot takes the next trial when its trial finishes, and a trial's
/// completion follows its last report. The order ignores pruning: a pruned trial's later events are ignored by both
/// our judge and the reference, so both see the same stream.
/// </summary>
internal static class CurveScenario
{
    public static List<StoppingEvent> Generate(int seed, int trials, int epochs, int slots, bool maximize)
    {
        var random = new Random(seed);
        var slotFree = new double[slots];
        var timed = new List<(double At, int Order, StoppingEvent Event)>();
        var order = 0;
        for (var i = 0; i < trials; i++)
        {
            var slot = Array.IndexOf(slotFree, slotFree.Min());
            var at = slotFree[slot];
            var level = 20 + (10 * random.NextDouble());
            var rate = 0.2 + (1.8 * random.NextDouble());
            var pace = 0.5 + random.NextDouble();
            var name = $"t{i:D4}";
            for (var e = 1; e <= epochs; e++)
            {
                at += pace * (0.9 + (0.2 * random.NextDouble()));
                var value = level + (rate * Math.Log(e)) + (0.3 * Gaussian(random));
                timed.Add((at, order++, StoppingEvent.Reported(name, e, Math.Round(maximize ? value : -value, 6))));
            }

            timed.Add((at, order++, StoppingEvent.Completed(name)));
            slotFree[slot] = at;
        }

        return [.. timed.OrderBy(t => t.At).ThenBy(t => t.Order).Select(t => t.Event)];
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
