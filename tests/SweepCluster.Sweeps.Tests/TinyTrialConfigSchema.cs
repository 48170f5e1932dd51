using System.Text.Json.Nodes;
using SweepCluster.Sweeps;

namespace SweepCluster.Sweeps.Tests;

/// <summary>A three-key schema whose resolved configs are short enough to hash by hand.</summary>
internal sealed class TinyTrialConfigSchema : ITrialConfigSchema
{
    public JsonObject CreateDefaults() =>
        JsonNode.Parse("""{"name": "", "seed": 0, "trainer": {"lr": 0.001, "loss_weights": {"recon": 0.5, "cross": 1.0}}}""")!.AsObject();

    public IReadOnlyList<string>? AllowedValues(string dottedPath) => null;

    public IReadOnlyList<string> Validate(JsonObject resolved) => [];
}
