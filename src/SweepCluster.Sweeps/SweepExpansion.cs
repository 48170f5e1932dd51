using System.Diagnostics.CodeAnalysis;

namespace SweepCluster.Sweeps;

/// <summary>
/// The result of <see cref="SweepExpander.Expand"/>: the trials, or every error. <see cref="Notes"/>
/// tells what expansion dropped on purpose (combinations that resolved to an existing trial);
/// <see cref="Skipped"/> counts combinations a <c>when</c> condition left out.
/// </summary>
public sealed record SweepExpansion(
    IReadOnlyList<TrialSpec> Trials,
    IReadOnlyList<SweepError> Errors,
    IReadOnlyList<SweepError> Notes,
    int Skipped,
    string? Profile)
{
    /// <summary>The early-stopping rule for the expanded profile, or null when the sweep runs every trial to the end.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Whether expansion found no errors.</summary>
    [MemberNotNullWhen(false, nameof(FirstError))]
    public bool Success => Errors.Count == 0;

    /// <summary>The first error, for callers that show one line.</summary>
    public SweepError? FirstError => Errors.Count == 0 ? null : Errors[0];
}
