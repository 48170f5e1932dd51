using System.Globalization;

namespace SweepCluster.OrchestrationBench;

/// <summary>The command line, parsed. Defaults are the figures.</summary>
internal sealed record BenchSettings
{
    public const string Usage = """
        SweepCluster orchestration benchmarks (not a test; numbers depend on the machine and its load).

        usage: dotnet run -c Release --project benchmarks/SweepCluster.OrchestrationBench -- [load|overhead|all] [options]

        scenarios (default: all)
          load        many slots over several silos on PostgreSQL, for a fixed time
          overhead    N no-op trials over W slots, on SQLite and PostgreSQL, next to Optuna doing the same

        load options
          --silos N            runner silos, besides the coordinator silo (default 10)
          --load-slots N       no-op slots in all, spread evenly over the silos (default 200)
          --seconds S          measured window (default 30)
          --warmup S           run before the window opens (default 3)
          --load-trials N      no-op trials submitted as the supply (default 20000)

        overhead options
          --trials N           no-op trials per run (default 10000)
          --workers W          slots in all, and Optuna's n_jobs (default 32)
          --slots-per-silo K   PostgreSQL: slots per runner silo, W/K runner silos (default 8: 4 silos of 8 slots);
                               SQLite is one embedded silo with all W slots
          --stores LIST        sqlite,postgres (default both)
          --optuna-mode M      threads (study.optimize n_jobs=W, default) or processes (W processes)
          --no-optuna          skip the Optuna reference
          --python PATH        interpreter with optuna (default /usr/bin/python3)
          --timeout S          give up on one run after S seconds (default 1800)

        exit code 0 when no scenario saw an error, 1 otherwise, 2 for bad arguments, 3 when a reference is
        missing (PostgreSQL's binaries, Optuna, psycopg2: one line says which and how to install it)
        """;

    public bool RunLoad { get; init; } = true;

    public bool RunOverhead { get; init; } = true;

    public int Silos { get; init; } = 10;

    public int LoadSlots { get; init; } = 200;

    public double Seconds { get; init; } = 30;

    public double WarmupSeconds { get; init; } = 3;

    public int LoadTrials { get; init; } = 20_000;

    public int Trials { get; init; } = 10_000;

    public int Workers { get; init; } = 32;

    public int SlotsPerSilo { get; init; } = 8;

    public IReadOnlyList<string> Stores { get; init; } = ["sqlite", "postgres"];

    public string OptunaMode { get; init; } = "threads";

    public bool RunOptuna { get; init; } = true;

    public string Python { get; init; } = "/usr/bin/python3";

    public double TimeoutSeconds { get; init; } = 1800;

    /// <summary>Parses the arguments; returns null and an error (or the usage, for --help) when they are not runnable.</summary>
    public static (BenchSettings? Settings, string? Message) Parse(IReadOnlyList<string> args)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            return (null, Usage);
        }

        var settings = new BenchSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{arg} needs a value.");
            try
            {
                settings = arg switch
                {
                    "load" => settings with { RunLoad = true, RunOverhead = false },
                    "overhead" => settings with { RunLoad = false, RunOverhead = true },
                    "all" => settings with { RunLoad = true, RunOverhead = true },
                    "--silos" => settings with { Silos = Positive(arg, Next()) },
                    "--load-slots" => settings with { LoadSlots = Positive(arg, Next()) },
                    "--seconds" => settings with { Seconds = PositiveDouble(arg, Next()) },
                    "--warmup" => settings with { WarmupSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--load-trials" => settings with { LoadTrials = Positive(arg, Next()) },
                    "--trials" => settings with { Trials = Positive(arg, Next()) },
                    "--workers" => settings with { Workers = Positive(arg, Next()) },
                    "--slots-per-silo" => settings with { SlotsPerSilo = Positive(arg, Next()) },
                    "--stores" => settings with { Stores = ParseStores(Next()) },
                    "--optuna-mode" => settings with { OptunaMode = OptunaModeOf(Next()) },
                    "--no-optuna" => settings with { RunOptuna = false },
                    "--python" => settings with { Python = Next() },
                    "--timeout" => settings with { TimeoutSeconds = PositiveDouble(arg, Next()) },
                    _ => throw new FormatException($"Unknown argument '{arg}'."),
                };
            }
            catch (FormatException exception)
            {
                return (null, $"{exception.Message}\n\n{Usage}");
            }
        }

        if (settings.Stores.Contains("postgres") && settings.Workers % settings.SlotsPerSilo != 0)
        {
            return (null, $"--workers ({settings.Workers}) must be a multiple of --slots-per-silo ({settings.SlotsPerSilo}).");
        }

        return (settings, null);
    }

    private static int Positive(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"{name} must be a whole number above 0, not '{text}'.");

    private static double PositiveDouble(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new FormatException($"{name} must be a number above 0, not '{text}'.");

    private static string OptunaModeOf(string text) =>
        text is "threads" or "processes" ? text : throw new FormatException($"--optuna-mode is threads or processes, not '{text}'.");

    private static string[] ParseStores(string text)
    {
        var stores = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return stores.Length > 0 && stores.All(s => s is "sqlite" or "postgres")
            ? stores
            : throw new FormatException($"--stores is a comma-separated list of sqlite and postgres, not '{text}'.");
    }
}
