using System.Globalization;
using System.Text;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// The compact per-epoch table the <c>train</c> command prints: loss terms, z distance, and the validation PSNRs
/// and cross leakage. Values are looked up by metric name, as epoch means (<c>epoch.loss.cross</c>) or plain
/// (<c>loss.cross</c>), and evaluation names (<c>eval.x_a_from_b.psnr</c>); a missing value prints as <c>-</c>.
/// </summary>
public static class EpochTable
{
    private static readonly (string Title, string[] Names, string Format)[] Columns =
    [
        ("content", ["epoch.loss.content", "loss.content"], "0.0000"),
        ("recon", ["epoch.loss.recon", "loss.recon"], "0.0000"),
        ("cross", ["epoch.loss.cross", "loss.cross"], "0.0000"),
        ("edge", ["epoch.loss.edge", "loss.edge"], "0.0000"),
        ("total", ["epoch.loss.total", "loss.total"], "0.0000"),
        ("z_dist", ["epoch.z_distance", "z_distance"], "0.0000"),
        ("psnr_noisy", ["eval.noisy_a.psnr"], "0.00"),
        ("psnr_recon", ["eval.x_a_recon.psnr"], "0.00"),
        ("psnr_a<-b", ["eval.x_a_from_b.psnr"], "0.00"),
        ("psnr_b<-a", ["eval.x_b_from_a.psnr"], "0.00"),
        ("leak_a<-b", ["eval.x_a_from_b.leakage.noise_a"], "0.000"),
    ];

    private const int Width = 11;

    public static string Header()
    {
        var line = new StringBuilder("epoch".PadLeft(6));
        foreach (var column in Columns)
        {
            line.Append(column.Title.PadLeft(Width));
        }

        return line.ToString();
    }

    public static string Row(int epoch, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var line = new StringBuilder(epoch.ToString(CultureInfo.InvariantCulture).PadLeft(6));
        foreach (var (_, names, format) in Columns)
        {
            var found = names.FirstOrDefault(values.ContainsKey);
            line.Append((found is null ? "-" : values[found].ToString(format, CultureInfo.InvariantCulture)).PadLeft(Width));
        }

        return line.ToString();
    }
}
