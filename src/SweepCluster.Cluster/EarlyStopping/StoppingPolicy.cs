using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SweepCluster.Cluster.EarlyStopping;

/// <summary>
/// A sweep's early-stopping rule as the coordinator runs it (the sweep file's <c>early_stopping</c>, resolved for the
/// submitted profile). Stored with the sweep as JSON (<see cref="ToJson"/>) and in grain state.
/// </summary>
[GenerateSerializer]
[Alias("sweepcluster.stopping-policy")]
public sealed record StoppingPolicy
{
    [Id(0)]
    public StoppingRule Rule { get; init; }

    /// <summary>The per-epoch metric judged, for example <c>eval.psnr_cross</c>.</summary>
    [Id(1)]
    public string Metric { get; init; } = "";

    [Id(2)]
    public bool Maximize { get; init; } = true;

    /// <summary>No configuration is stopped before this epoch (1-based); asha's first rung.</summary>
    [Id(3)]
    public int GraceEpochs { get; init; } = 1;

    [Id(4)]
    public int ReductionFactor { get; init; } = 3;

    /// <summary>median: completed configurations that must have reported an epoch before it is judged.</summary>
    [Id(5)]
    public int MinTrials { get; init; } = 3;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StoppingPolicy FromJson(string json) =>
        JsonSerializer.Deserialize<StoppingPolicy>(json, Json) ?? throw new FormatException("An early-stopping policy is JSON null.");

    /// <summary>The epoch of asha's rung <paramref name="rung"/> (0-based): <c>grace * reduction_factor^rung</c>.</summary>
    public long RungEpoch(int rung)
    {
        long epoch = GraceEpochs;
        for (var i = 0; i < rung; i++)
        {
            epoch *= ReductionFactor;
        }

        return epoch;
    }

    /// <summary>The checks a submission gets; null when valid.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(Metric) ? "the early-stopping metric is empty"
        : GraceEpochs < 1 ? "grace_epochs must be at least 1"
        : ReductionFactor < 2 ? "reduction_factor must be at least 2"
        : MinTrials < 1 ? "min_trials must be at least 1"
        : !Enum.IsDefined(Rule) ? string.Create(CultureInfo.InvariantCulture, $"unknown early-stopping rule {(int)Rule}")
        : null;

    public override string ToString() => Rule == StoppingRule.Asha
        ? string.Create(CultureInfo.InvariantCulture, $"asha on {Metric} ({(Maximize ? "maximize" : "minimize")}, grace {GraceEpochs}, reduction factor {ReductionFactor})")
        : string.Create(CultureInfo.InvariantCulture, $"median on {Metric} ({(Maximize ? "maximize" : "minimize")}, grace {GraceEpochs}, min {MinTrials} completed)");
}
