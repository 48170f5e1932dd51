using Spectre.Console;

namespace SweepCluster.Cli.Output;

/// <summary>
/// The one place that decides how this process writes to standard output: every command writes
/// tables and live views through here, so escape codes and widths follow <see cref="ConsoleCapabilities"/>.
/// </summary>
internal static class CliConsole
{
    private static readonly Lazy<ConsoleCapabilities> LazyCapabilities = new(ConsoleCapabilities.OfThisProcess);
    private static readonly Lazy<IAnsiConsole> LazyOut = new(() => Create(LazyCapabilities.Value, Console.Out));

    public static ConsoleCapabilities Capabilities => LazyCapabilities.Value;

    /// <summary>Spectre's console for this process's stdout, with the capabilities above (not Spectre's own guesses).</summary>
    public static IAnsiConsole Out => LazyOut.Value;

    /// <summary>Whether progress may redraw in place: a terminal that takes escape codes.</summary>
    public static bool CanRedraw => Capabilities is { IsTerminal: true, Ansi: true };

    public static IAnsiConsole Create(ConsoleCapabilities capabilities, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = capabilities.Ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = capabilities.Ansi ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = capabilities.IsTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        // Unlimited: anything Spectre renders off a terminal keeps its lines whole.
        console.Profile.Width = capabilities.Width ?? short.MaxValue;
        return console;
    }

    /// <summary>A drawn table on a terminal; plain aligned lines, one row per line, anywhere else.</summary>
    public static void Write(CliTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!Capabilities.IsTerminal)
        {
            foreach (var line in PlainTable.Lines(table))
            {
                Console.Out.WriteLine(line);
            }

            return;
        }

        var drawn = new Table().Border(TableBorder.Simple);
        if (!string.IsNullOrEmpty(table.Title))
        {
            drawn.Title(Markup.Escape(table.Title));
        }

        for (var i = 0; i < table.Headers.Count; i++)
        {
            var column = new TableColumn(new Text(table.Headers[i], new Style(decoration: Decoration.Bold)));
            if (table.NameColumns.Contains(i))
            {
                column.NoWrap();
            }

            drawn.AddColumn(column);
        }

        foreach (var row in table.Rows)
        {
            drawn.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
        }

        Out.Write(drawn);
    }
}
