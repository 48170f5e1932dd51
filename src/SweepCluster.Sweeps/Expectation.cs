namespace SweepCluster.Sweeps;

/// <summary>
/// What a matrix row is expected to show: free text for people (the notes' "Expected" column)
/// and, where given, a verdict a report compares with the measured one. <see cref="Confident"/>
/// is false for hedged expectations ("pass?"), which a report may show as a softer mismatch.
/// </summary>
public sealed record Expectation(string Text, ExpectedVerdict? Verdict, bool Confident = true);
