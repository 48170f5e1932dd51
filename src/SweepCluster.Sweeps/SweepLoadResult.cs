using System.Diagnostics.CodeAnalysis;

namespace SweepCluster.Sweeps;

/// <summary>Either a valid <see cref="Spec"/> or every problem found, never both.</summary>
public sealed record SweepLoadResult(SweepSpec? Spec, IReadOnlyList<SweepError> Errors)
{
    /// <summary>Whether the file is valid and <see cref="Spec"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Spec))]
    public bool Success => Spec is not null;
}
