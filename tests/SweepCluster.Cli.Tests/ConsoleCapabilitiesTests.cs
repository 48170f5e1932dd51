using SweepCluster.Cli.Output;

namespace SweepCluster.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class ConsoleCapabilitiesTests
{
    [Fact]
    public void Off_a_terminal_there_are_no_escape_codes_and_no_width_limit()
    {
        var piped = ConsoleCapabilities.Detect(outputRedirected: true, Environment(("TERM", "xterm-256color")), terminalWidth: 0);

        Assert.Equal(new ConsoleCapabilities(IsTerminal: false, Ansi: false, Width: null), piped);
    }

    [Fact]
    public void Columns_sets_the_width_on_a_terminal_and_off_it()
    {
        Assert.Equal(100, ConsoleCapabilities.Detect(true, Environment(("COLUMNS", "100")), 50).Width);
        Assert.Equal(100, ConsoleCapabilities.Detect(false, Environment(("COLUMNS", "100")), 132).Width);
        Assert.Equal(132, ConsoleCapabilities.Detect(false, Environment(("COLUMNS", "wide")), 132).Width);
        Assert.Equal(132, ConsoleCapabilities.Detect(false, Environment(("COLUMNS", "0")), 132).Width);
        Assert.Equal(ConsoleCapabilities.FallbackTerminalWidth, ConsoleCapabilities.Detect(false, Environment(), 0).Width);
    }

    [Theory]
    [InlineData(null, "xterm-256color", true)]
    [InlineData("", "xterm-256color", true)]
    [InlineData("1", "xterm-256color", false)]
    [InlineData("0", "xterm-256color", false)]
    [InlineData(null, "dumb", false)]
    [InlineData(null, null, true)]
    public void A_terminal_gets_escape_codes_unless_NO_COLOR_is_set_or_TERM_is_dumb(string? noColor, string? term, bool ansi)
    {
        var capabilities = ConsoleCapabilities.Detect(outputRedirected: false, Environment(("NO_COLOR", noColor), ("TERM", term)), terminalWidth: 120);

        Assert.True(capabilities.IsTerminal);
        Assert.Equal(ansi, capabilities.Ansi);
    }

    private static Func<string, string?> Environment(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
