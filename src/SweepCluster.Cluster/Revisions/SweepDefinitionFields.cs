namespace SweepCluster.Cluster.Revisions;

/// <summary>The names of the fields <see cref="SweepDefinitionDiff"/> compares, as its lists and summaries say them.</summary>
public static class SweepDefinitionFields
{
    public const string Name = "name";
    public const string Description = "description";
    public const string Question = "question";
    public const string ObjectiveMetric = "objective metric";
    public const string ObjectiveGoal = "objective goal";
    public const string SweepText = "sweep text";

    public const string ConfigName = "config name";
    public const string ConfigKey = "config key";
    public const string Seed = "seed";
    public const string Parameters = "parameters";
    public const string Expectation = "expectation";
    public const string ExpectedVerdict = "expected verdict";
    public const string Config = "config";
    public const string Resources = "resources";
    public const string MaxAttempts = "max attempts";
    public const string Priority = "priority";
    public const string Order = "order";

    /// <summary>The trial fields in the order they are compared and described.</summary>
    public static readonly IReadOnlyList<string> OfTrial =
        [ConfigName, ConfigKey, Seed, Parameters, Expectation, ExpectedVerdict, Config, Resources, MaxAttempts, Priority, Order];
}
