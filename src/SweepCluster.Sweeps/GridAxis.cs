namespace SweepCluster.Sweeps;

/// <summary>
/// One axis of the cartesian grid. A key axis (<see cref="IsKey"/>) varies one dotted config key;
/// a named axis varies a bundle of keys together (each value an override map with a label).
/// </summary>
/// <param name="Name">The dotted key, or the axis name of a named axis.</param>
/// <param name="IsKey">Whether <paramref name="Name"/> is a config key.</param>
/// <param name="Values">The choices, never empty.</param>
/// <param name="When">The axis varies only where this holds for the config resolved so far;
/// elsewhere it contributes one choice that changes nothing.</param>
/// <param name="Location">Where the axis is declared.</param>
public sealed record GridAxis(string Name, bool IsKey, IReadOnlyList<GridValue> Values, Condition? When, SourceLocation Location);
