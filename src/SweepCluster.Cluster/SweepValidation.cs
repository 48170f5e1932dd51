using System.Text.Json;

namespace SweepCluster.Cluster;

/// <summary>What a submitted sweep must satisfy before anything is stored.</summary>
public static class SweepValidation
{
    /// <summary>Null when the sweep and its trials can be stored; else why not.</summary>
    public static Refusal? Validate(NewSweep sweep, IReadOnlyList<NewTrial> trials)
    {
        if (string.IsNullOrWhiteSpace(sweep.Id) || string.IsNullOrWhiteSpace(sweep.Name))
        {
            return Refusal.Invalid("A sweep needs an id and a name.");
        }

        var duplicate = trials.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return Refusal.Invalid($"Sweep {sweep.Name} lists trial {duplicate.Key} twice.");
        }

        foreach (var trial in trials)
        {
            var problem = trial switch
            {
                _ when string.IsNullOrWhiteSpace(trial.Id) => "has no id",
                { MaxAttempts: < 1 } => $"allows {trial.MaxAttempts} attempts; at least 1 is needed",
                { Resources.Gpus: < 0 } => $"asks for {trial.Resources.Gpus} GPUs",
                { Resources.GpuMemoryGiB: < 0 } => $"asks for {trial.Resources.GpuMemoryGiB} GiB of GPU memory",
                _ when !IsJson(trial.ConfigJson) => "has a configuration that is not valid JSON",
                _ when !IsJson(trial.ParametersJson) => "has parameters that are not valid JSON",
                _ => null,
            };
            if (problem is not null)
            {
                return Refusal.Invalid($"Trial {trial.Id} ({trial.ConfigName}) of sweep {sweep.Name} {problem}.");
            }
        }

        return null;
    }

    internal static bool IsJson(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
