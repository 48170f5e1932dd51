namespace SweepCluster.Sweeps;

/// <summary>One choice of a grid axis: a display label and the overrides it applies.</summary>
public sealed record GridValue(string Label, IReadOnlyList<ConfigOverride> Overrides, SourceLocation Location);
