using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Sweeps;

namespace SweepCluster.Cli;

/// <summary>Turns a validated, expanded sweep into the coordinator's submit request.</summary>
internal static class SweepSubmission
{
    /// <summary>
    /// The sweep's id: its name and profile. Stable across edits of the file, so running a changed
    /// file again makes it the sweep's next revision: trials both versions list keep their state and
    /// results, new ones are added, and those no longer listed are removed (cancelled if unfinished).
    /// </summary>
    public static string SweepId(SweepSpec spec, string? profile) =>
        profile is null ? spec.Name : $"{spec.Name}.{profile}";

    public static SubmitSweepRequest Build(SweepSpec spec, SweepExpansion expansion)
    {
        var text = File.ReadAllText(spec.File);
        var metric = spec.Objective?.Metric ?? "psnr_cross";
        var goal = spec.Objective?.Goal switch
        {
            Sweeps.ObjectiveGoal.Minimize => Cluster.ObjectiveGoal.Minimize,
            _ => Cluster.ObjectiveGoal.Maximize,
        };
        var sweep = new SweepDefinitionDto
        {
            Id = SweepId(spec, expansion.Profile),
            Name = spec.Name,
            Description = spec.Description ?? string.Empty,
            Question = string.IsNullOrWhiteSpace(spec.Question) ? ObjectiveQuestion(metric, goal) : spec.Question,
            ObjectiveMetric = metric,
            ObjectiveGoal = goal,
            SweepText = text,
            EarlyStopping = expansion.EarlyStopping is { } stopping
                ? new EarlyStoppingDto
                {
                    Rule = stopping.Rule.ToString().ToLowerInvariant(),
                    Metric = stopping.Metric,
                    Goal = stopping.Goal == Sweeps.ObjectiveGoal.Minimize ? Cluster.ObjectiveGoal.Minimize : Cluster.ObjectiveGoal.Maximize,
                    GraceEpochs = stopping.GraceEpochs,
                    ReductionFactor = stopping.ReductionFactor,
                    MinTrials = stopping.MinTrials,
                }
                : null,
        };
        var trials = expansion.Trials.Select(t => (TrialDefinitionDto?)new TrialDefinitionDto
        {
            Id = t.Id,
            ConfigName = t.ConfigName,
            ConfigKey = t.ConfigKey,
            Seed = t.Seed,
            Parameters = JsonSerializer.SerializeToElement(t.Parameters.ToDictionary(p => p.Key, p => p.Value)),
            Expect = t.Expect?.Text ?? string.Empty,
            ExpectedVerdict = t.Expect?.Verdict?.ToString().ToLowerInvariant(),
            Config = JsonSerializer.SerializeToElement(t.Config),
            Resources = new ResourcesDto { Gpus = t.Resources.Gpus, GpuMemoryGiB = t.Resources.GpuMemoryGb, Labels = t.Resources.Labels },
            MaxAttempts = t.MaxAttempts,
            Priority = t.Priority,
            Order = t.Order,
            EarlyStopping = t.EarlyStopping,
        }).ToList();
        return new SubmitSweepRequest { Sweep = sweep, Trials = trials };
    }

    /// <summary>A short digest of the file, shown so a user can tell two runs of an edited file apart.</summary>
    public static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    /// <summary>
    /// The question of a sweep file that asks none (it is optional there, but the coordinator requires one):
    /// the sweep's own objective, phrased as a question.
    /// </summary>
    private static string ObjectiveQuestion(string metric, Cluster.ObjectiveGoal goal) =>
        $"Which configuration {(goal == Cluster.ObjectiveGoal.Minimize ? "minimizes" : "maximizes")} {metric}?";
}
