using System.Text.Json.Nodes;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Sweeps;

namespace SweepCluster.Cli;

/// <summary>The trainer's configuration contract, as the sweep validator sees it.</summary>
internal sealed class TrialConfigSchema : ITrialConfigSchema
{
    public static TrialConfigSchema Instance { get; } = new();

    public JsonObject CreateDefaults() => TrialConfig.DefaultTree();

    public IReadOnlyList<string>? AllowedValues(string dottedPath) => TrialConfig.AllowedValues(dottedPath);

    public IReadOnlyList<string> Validate(JsonObject resolved) => TrialConfig.ValidateTree(resolved);

    public string CanonicalPath(string dottedPath) => TrialConfig.CanonicalPath(dottedPath);

    public string CanonicalValue(string dottedPath, string value) => TrialConfig.CanonicalValue(dottedPath, value);

    public IReadOnlyList<string>? EpochMetrics => Denoising.Training.EpochMetrics.Names;
}
