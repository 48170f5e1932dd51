using System.Diagnostics;
using System.Text;

namespace SweepCluster.Cli.Tests;

/// <summary>
/// Runs the CLI with its standard output on a pseudo-terminal (util-linux <c>script</c>), the way a
/// user's terminal runs it; what the terminal received comes back as text, escape codes included.
/// </summary>
internal static class PseudoTerminal
{
    private const string Script = "/usr/bin/script";

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] arguments)
    {
        Assert.True(File.Exists(Script), $"{Script} (util-linux) is needed to give the CLI a terminal");
        var command = string.Join(' ', new[] { "dotnet", CliPaths.CliDll }.Concat(arguments).Select(Quote));
        var info = new ProcessStartInfo(Script)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // -q: no start and end notes; -e: its exit code; -c: the command; no typescript file.
        foreach (var argument in new[] { "-qec", command, "/dev/null" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment.Remove("NO_COLOR");
        info.Environment.Remove("COLUMNS");
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{command}` on a terminal still running after {timeout.TotalSeconds:F0} s");
        }

        return new CliResult(process.ExitCode, (await output).Replace("\r\n", "\n", StringComparison.Ordinal), await error);
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The text a reader sees: escape sequences removed.</summary>
    public static string Visible(string text)
    {
        var visible = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\u001b')
            {
                visible.Append(text[i]);
                continue;
            }

            // CSI: ESC [ parameters final-byte; other escapes are two characters.
            if (i + 1 < text.Length && text[i + 1] == '[')
            {
                i += 2;
                while (i < text.Length && text[i] is < '@' or > '~')
                {
                    i++;
                }
            }
            else
            {
                i++;
            }
        }

        return visible.ToString();
    }
}
