namespace SweepCluster.Sweeps;

/// <summary><see cref="Count"/> samples drawn deterministically from <see cref="Seed"/>.</summary>
public sealed record RandomSearch(int Count, ulong Seed, IReadOnlyList<RandomParameter> Parameters, SourceLocation Location);
