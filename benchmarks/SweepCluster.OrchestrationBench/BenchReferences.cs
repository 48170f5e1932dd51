namespace SweepCluster.OrchestrationBench;

/// <summary>
/// What the chosen scenarios need beside our own code, checked before anything starts: PostgreSQL's server binaries
/// (the load scenario, and the overhead scenario on PostgreSQL) and, for the Optuna reference, Optuna in the chosen
/// interpreter with psycopg2 when it runs on PostgreSQL.
/// </summary>
internal static class BenchReferences
{
    /// <summary>The exit code when a reference is missing (0: no errors, 1: a scenario saw errors, 2: bad arguments).</summary>
    public const int MissingExitCode = 3;

    public static readonly PythonModule Optuna = new("optuna", "python3-optuna", "the Optuna reference");

    public static readonly PythonModule Psycopg2 = new("psycopg2", "python3-psycopg2", "Optuna's PostgreSQL storage");

    public static bool NeedsPostgres(BenchSettings settings) =>
        settings.RunLoad || (settings.RunOverhead && settings.Stores.Contains("postgres", StringComparer.Ordinal));

    public static IReadOnlyList<PythonModule> PythonModules(BenchSettings settings)
    {
        if (!settings.RunOverhead || !settings.RunOptuna)
        {
            return [];
        }

        return settings.Stores.Contains("postgres", StringComparer.Ordinal) ? [Optuna, Psycopg2] : [Optuna];
    }

    /// <summary>One line naming what is missing and how to install it; null when everything is there.</summary>
    public static string? Missing(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var missing = new List<MissingReference>();
        if (NeedsPostgres(settings) && ReferenceCheck.PostgresBinaries() is { } postgres)
        {
            missing.Add(postgres);
        }

        missing.AddRange(ReferenceCheck.PythonModules(settings.Python, PythonModules(settings)));
        return ReferenceCheck.Describe(missing, "run without them: 'overhead --stores sqlite' needs no PostgreSQL, --no-optuna no Python");
    }
}
