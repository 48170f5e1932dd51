namespace SweepCluster.Cli.Output;

/// <summary>
/// A table a command prints, independent of how: <c>CliConsole.Write</c> draws it
/// on a terminal and writes plain lines, one row per line, everywhere else.
/// </summary>
internal sealed class CliTable
{
    private readonly List<IReadOnlyList<string>> _rows = [];

    public CliTable(params string[] headers)
    {
        Headers = headers;
    }

    public IReadOnlyList<string> Headers { get; }

    public string? Title { get; init; }

    /// <summary>Columns of ids and names: never wrapped, so a terminal shows them whole too.</summary>
    public IReadOnlySet<int> NameColumns { get; init; } = new HashSet<int>();

    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    public CliTable AddRow(params string[] cells)
    {
        if (cells.Length != Headers.Count)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {Headers.Count} columns", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }
}
