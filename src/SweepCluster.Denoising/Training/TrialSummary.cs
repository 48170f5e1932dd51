using System.Text.Json;
using SweepCluster.Denoising.Evaluation;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// A trial's measured outcome (docs/trial-protocol.md, "The summary"): flat <see cref="Scalars"/> (a scalar that
/// cannot be measured, such as PSNR without a clean reference, is absent), the metrics of every output, and
/// whether it is the labelled supervised reference.
/// </summary>
public sealed record TrialSummary(
    IReadOnlyDictionary<string, double> Scalars,
    IReadOnlyDictionary<string, OutputMetrics> Outputs,
    bool Supervised)
{
    /// <summary>Writes the summary object (<c>scalars</c>, <c>outputs</c>, <c>supervised</c>).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("scalars");
        foreach (var (name, value) in Scalars)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumber(name, value);
            }
        }

        writer.WriteEndObject();
        writer.WriteStartObject("outputs");
        foreach (var (name, m) in Outputs)
        {
            writer.WriteStartObject(name);
            WriteFinite(writer, "psnr", m.Psnr);
            WriteFinite(writer, "ssim", m.Ssim);
            WriteFinite(writer, "nmse", m.Nmse);
            WriteFinite(writer, "leakage_noise_a", m.LeakageNoiseA);
            WriteFinite(writer, "leakage_noise_b", m.LeakageNoiseB);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteBoolean("supervised", Supervised);
        writer.WriteEndObject();
    }

    /// <summary>The summary as one compact JSON object.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteFinite(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
    }
}
