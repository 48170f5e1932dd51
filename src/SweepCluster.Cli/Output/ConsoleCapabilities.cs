using System.Globalization;

namespace SweepCluster.Cli.Output;

/// <summary>
/// What standard output can take, decided once for every command: escape codes only on a terminal
/// that wants them, and the width tables must fit. Off a terminal (a pipe, a file, a CI log) the
/// output is plain text whose lines are never wrapped, so each row stays whole and grep finds it.
/// </summary>
/// <param name="IsTerminal">Standard output is a terminal (not redirected).</param>
/// <param name="Ansi">Escape codes (colours, cursor movement, live redraws) may be written.</param>
/// <param name="Width">Columns to fit; null when unlimited (off a terminal, with no <c>COLUMNS</c>).</param>
internal sealed record ConsoleCapabilities(bool IsTerminal, bool Ansi, int? Width)
{
    /// <summary>A terminal that does not say how wide it is gets the classic width.</summary>
    public const int FallbackTerminalWidth = 80;

    /// <summary>
    /// The capabilities from the facts: whether stdout is redirected, the environment
    /// (<c>NO_COLOR</c>, <c>TERM</c>, <c>COLUMNS</c>) and the terminal's own width (0 when unknown).
    /// </summary>
    public static ConsoleCapabilities Detect(bool outputRedirected, Func<string, string?> environment, int terminalWidth)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var isTerminal = !outputRedirected;
        // no-color.org: set to anything but the empty string.
        var noColor = !string.IsNullOrEmpty(environment("NO_COLOR"));
        var dumb = string.Equals(environment("TERM"), "dumb", StringComparison.Ordinal);
        int? width = int.TryParse(environment("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns > 0
            ? columns
            : isTerminal ? (terminalWidth > 0 ? terminalWidth : FallbackTerminalWidth) : null;
        return new ConsoleCapabilities(isTerminal, isTerminal && !noColor && !dumb, width);
    }

    /// <summary>This process's standard output.</summary>
    public static ConsoleCapabilities OfThisProcess() =>
        Detect(Console.IsOutputRedirected, Environment.GetEnvironmentVariable, Console.IsOutputRedirected ? 0 : TerminalWidth());

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            // A terminal that cannot be asked (a pseudo-terminal without a size).
            return 0;
        }
    }
}
