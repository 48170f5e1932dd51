using System.Globalization;

namespace SweepCluster.Cli;

/// <summary>
/// Stops a silo's child when the silo dies without killing it (SIGKILL, a crash): the child was re-parented,
/// so its parent process id changed. Without this an orphaned attempt would train on beside its own retry.
/// </summary>
internal static class ParentWatch
{
    /// <summary>A token cancelled when this process's parent changes, or null where /proc is not available.</summary>
    public static CancellationToken Start(CancellationToken outer)
    {
        var original = ParentId();
        if (original is null)
        {
            return outer;
        }

        var source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(source.Token).ConfigureAwait(false))
            {
                if (ParentId() != original)
                {
                    await Console.Error.WriteLineAsync("the silo that started this attempt is gone; stopping").ConfigureAwait(false);
                    await source.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }, CancellationToken.None);
        return source.Token;
    }

    private static int? ParentId()
    {
        try
        {
            // /proc/self/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
