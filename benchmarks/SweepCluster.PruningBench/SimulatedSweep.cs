using SweepCluster.Cluster.EarlyStopping;

namespace SweepCluster.PruningBench;

/// <summary>
/// A simulated sweep: synthetic learning curves shaped like a denoiser's cross PSNR (rising fast, then levelling off
/// towards a final value that differs by configuration; some configurations start slowly and end high, so curves
/// cross), and the order their points arrive in on a cluster of a few slots. No training runs.
/// </summary>
internal sealed class SimulatedSweep
{
    private SimulatedSweep(IReadOnlyList<double[]> curves, IReadOnlyList<StoppingEvent> events)
    {
        Curves = curves;
        Events = events;
    }

    /// <summary>Each trial's value at epochs 1..E (index 0 is epoch 1).</summary>
    public IReadOnlyList<double[]> Curves { get; }

    /// <summary>Reports and completions in arrival order (every trial run in full; a pruned trial's later events are ignored by the rules).</summary>
    public IReadOnlyList<StoppingEvent> Events { get; }

    public static string TrialId(int index) => $"t{index:D5}";

    public static SimulatedSweep Generate(int seed, int trials, int epochs, int slots)
    {
        var random = new Random(seed);
        var curves = new List<double[]>(trials);
        var slotFree = new double[slots];
        var timed = new List<(double At, int Order, StoppingEvent Event)>();
        var order = 0;
        for (var i = 0; i < trials; i++)
        {
            var final = 26 + (1.5 * Gaussian(random));
            var start = final - 4 - (4 * random.NextDouble());
            var tau = 0.5 + (epochs / 4.0 * Math.Pow(random.NextDouble(), 2));
            var curve = new double[epochs];
            for (var e = 1; e <= epochs; e++)
            {
                curve[e - 1] = Math.Round(final - ((final - start) * Math.Exp(-(e - 1) / tau)) + (0.15 * Gaussian(random)), 6);
            }

            curves.Add(curve);
            var slot = Array.IndexOf(slotFree, slotFree.Min());
            var at = slotFree[slot];
            var pace = 0.5 + random.NextDouble();
            for (var e = 1; e <= epochs; e++)
            {
                at += pace * (0.9 + (0.2 * random.NextDouble()));
                timed.Add((at, order++, StoppingEvent.Reported(TrialId(i), e, curve[e - 1])));
            }

            timed.Add((at, order++, StoppingEvent.Completed(TrialId(i))));
            slotFree[slot] = at;
        }

        return new SimulatedSweep(curves, [.. timed.OrderBy(t => t.At).ThenBy(t => t.Order).Select(t => t.Event)]);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
