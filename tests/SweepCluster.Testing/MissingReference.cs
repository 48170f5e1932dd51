namespace SweepCluster.Testing;

/// <summary>Something a reference needs that this machine lacks, in words, and the Debian packages that bring it.</summary>
public sealed record MissingReference(string What, IReadOnlyList<string> DebianPackages);
