using SweepCluster.Sweeps;

namespace SweepCluster.Cli.Commands;

/// <summary>Loads and expands a sweep file for the commands, printing every problem found.</summary>
internal static class SweepFiles
{
    /// <summary>The expansion, or null after printing the errors (every one, with file, line and column).</summary>
    public static (SweepSpec Spec, SweepExpansion Expansion)? LoadAndExpand(string path, string? profile, TextWriter errors)
    {
        var loaded = SweepLoader.Load(path, TrialConfigSchema.Instance);
        if (!loaded.Success)
        {
            Report(loaded.Errors, errors);
            return null;
        }

        var spec = loaded.Spec!;
        var expansion = SweepExpander.Expand(spec, profile ?? DefaultProfile(spec), TrialConfigSchema.Instance);
        if (!expansion.Success)
        {
            Report(expansion.Errors, errors);
            return null;
        }

        return (spec, expansion);
    }

    /// <summary>With no --profile: the sweep's own default, else gpu where a GPU exists and cpu otherwise (when defined).</summary>
    public static string? DefaultProfile(SweepSpec spec)
    {
        if (spec.DefaultProfile is not null && !(spec.DefaultProfile == "cpu" && HasGpu() && spec.Profiles.Any(p => p.Name == "gpu")))
        {
            return spec.DefaultProfile;
        }

        var wanted = HasGpu() ? "gpu" : "cpu";
        return spec.Profiles.Any(p => p.Name == wanted) ? wanted : spec.DefaultProfile;
    }

    private static bool HasGpu()
    {
        try
        {
            return Denoising.Runtime.CudaDevices.IsAvailable;
        }
        catch (TypeInitializationException)
        {
            // The tensor engine's native library did not load; `sweepcluster doctor` says why.
            return false;
        }
    }

    private static void Report(IReadOnlyList<SweepError> problems, TextWriter errors)
    {
        foreach (var problem in problems)
        {
            errors.WriteLine(problem.ToString());
        }

        errors.WriteLine($"{problems.Count} problem(s); nothing was changed.");
    }
}
