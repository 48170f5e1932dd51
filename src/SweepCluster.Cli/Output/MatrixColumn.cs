namespace SweepCluster.Cli.Output;

/// <summary>One column of the compact test matrix.</summary>
/// <param name="Priority">0: always shown; higher numbers are dropped first when the table would not fit.</param>
/// <param name="Cells">One cell per row, in row order.</param>
internal sealed record MatrixColumn(string Header, int Priority, IReadOnlyList<string> Cells)
{
    /// <summary>The widest of the header and the cells.</summary>
    public int Width => Cells.Select(c => c.Length).Append(Header.Length).Max();
}
