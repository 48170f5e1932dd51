using System.Globalization;
using System.Text.Json;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// One trial's curves in the sweep report (<c>/api/sweeps/{id}/report/json</c>): the cross loss per epoch and the mean
/// cross PSNR per evaluation step, and the same curves computed here from a trial's metric points, for comparison
/// with a reference run.
/// </summary>
public sealed record ReportCurves(IReadOnlyList<(double X, double Y)> CrossLoss, IReadOnlyList<(double X, double Y)> Psnr)
{
    private static readonly string[] CrossPsnrPoints = ["eval.x_a_from_b.psnr", "eval.x_b_from_a.psnr"];

    /// <summary>The report's curves of every trial of the sweep, by trial id.</summary>
    public static async Task<IReadOnlyDictionary<string, ReportCurves>> ReadAsync(FaultCluster cluster, string sweepId)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var report = await cluster.GetJsonAsync($"/api/sweeps/{Uri.EscapeDataString(sweepId)}/report/json");
        var loss = new Dictionary<string, IReadOnlyList<(double, double)>>(StringComparer.Ordinal);
        var psnr = new Dictionary<string, IReadOnlyList<(double, double)>>(StringComparer.Ordinal);
        foreach (var row in report.GetProperty("rows").EnumerateArray())
        {
            Read(row.GetProperty("cross_loss_curves"), loss);
            Read(row.GetProperty("psnr_curves"), psnr);
        }

        return loss.Keys.Union(psnr.Keys).ToDictionary(
            id => id,
            id => new ReportCurves(loss.GetValueOrDefault(id) ?? [], psnr.GetValueOrDefault(id) ?? []),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// The curves as the report defines them (docs/report.md), from a trial's (step, name) points: the mean of the
    /// <c>loss.cross</c> step points of each epoch, and the mean of the two cross outputs' PSNR at each evaluation.
    /// </summary>
    public static ReportCurves FromPoints(IReadOnlyDictionary<(long Step, string Name), MetricPointRecord> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var loss = points.Values.Where(p => p.Name == "loss.cross" && p.Epoch is not null)
            .GroupBy(p => p.Epoch!.Value).OrderBy(g => g.Key).Select(g => ((double)g.Key, g.Average(p => p.Value))).ToList();
        var psnr = points.Values.Where(p => CrossPsnrPoints.Contains(p.Name))
            .GroupBy(p => p.Step).OrderBy(g => g.Key).Select(g => ((double)g.Key, g.Average(p => p.Value))).ToList();
        return new ReportCurves(loss, psnr);
    }

    /// <summary>Where this trial's curves differ from <paramref name="reference"/>'s beyond <paramref name="tolerance"/> (relative above 1); empty when they agree.</summary>
    public IReadOnlyList<string> Compare(ReportCurves reference, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return [.. CompareCurve("cross loss", CrossLoss, reference.CrossLoss, tolerance), .. CompareCurve("cross PSNR", Psnr, reference.Psnr, tolerance)];
    }

    private static IEnumerable<string> CompareCurve(string name, IReadOnlyList<(double X, double Y)> actual, IReadOnlyList<(double X, double Y)> expected, double tolerance)
    {
        if (actual.Count != expected.Count || !actual.Select(p => p.X).SequenceEqual(expected.Select(p => p.X)))
        {
            yield return $"{name}: x {Format(actual.Select(p => p.X))} vs reference {Format(expected.Select(p => p.X))}";
            yield break;
        }

        foreach (var (a, e) in actual.Zip(expected))
        {
            if (Math.Abs(a.Y - e.Y) > tolerance * Math.Max(1.0, Math.Max(Math.Abs(a.Y), Math.Abs(e.Y))))
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{name} at {a.X}: {a.Y:R} vs reference {e.Y:R}");
            }
        }
    }

    private static string Format(IEnumerable<double> values) => $"[{string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)))}]";

    private static void Read(JsonElement curves, Dictionary<string, IReadOnlyList<(double, double)>> into)
    {
        foreach (var series in curves.EnumerateArray())
        {
            into[series.GetProperty("trial_id").GetString()!] =
                [.. series.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("x").GetDouble(), p.GetProperty("y").GetDouble()))];
        }
    }
}
