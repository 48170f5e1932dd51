namespace SweepCluster.Sweeps;

/// <summary>A position in a sweep file; line and column are 1-based.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <summary>The start of a file, used where no better position is known.</summary>
    public static SourceLocation StartOf(string file) => new(file, 1, 1);

    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
