using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>
/// One value written into the trial config at a dotted path. Nested maps in a sweep file are
/// flattened into one override per leaf (maps merge key by key); a list replaces the whole list.
/// A string at <c>trainer.schedule</c> names a schedule of the sweep and is resolved at expansion.
/// </summary>
public sealed record ConfigOverride(string Path, JsonNode? Value, SourceLocation Location);
