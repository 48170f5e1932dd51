using SweepCluster.OrchestrationBench;

var (settings, message) = BenchSettings.Parse(args);
if (settings is null)
{
    Console.WriteLine(message);
    return message == BenchSettings.Usage ? 0 : 2;
}

// Before anything starts: a reference that lacks a module fails half-way with a traceback otherwise.
if (BenchReferences.Missing(settings) is { } missing)
{
    Console.Error.WriteLine(missing);
    return BenchReferences.MissingExitCode;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var output = Console.Out;
output.WriteLine($"machine: {Environment.ProcessorCount} cores, load average at start {LoadAverage()}");
PostgresServer? postgres = null;
async Task<PostgresServer> PostgresAsync(CancellationToken cancellationToken)
{
    cancellationToken.ThrowIfCancellationRequested();
    postgres ??= await PostgresServer.StartNewAsync();
    return postgres;
}

var ok = true;
try
{
    if (settings.RunLoad)
    {
        ok &= await LoadBenchmark.RunAsync(settings, await PostgresAsync(cancel.Token), output, cancel.Token);
    }

    if (settings.RunOverhead)
    {
        ok &= await OverheadBenchmark.RunAsync(settings, PostgresAsync, output, cancel.Token);
    }
}
finally
{
    if (postgres is not null)
    {
        await postgres.DisposeAsync();
    }

    output.WriteLine($"load average at end {LoadAverage()}");
}

return ok ? 0 : 1;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
