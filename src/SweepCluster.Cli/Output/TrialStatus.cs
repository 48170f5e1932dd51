namespace SweepCluster.Cli.Output;

/// <summary>One trial as the plain progress log sees it.</summary>
/// <param name="Id">The trial id.</param>
/// <param name="Label">How a reader knows it (configuration and seed).</param>
/// <param name="State">Its lifecycle state in lower case: pending, leased, running, succeeded, failed or cancelled.</param>
internal sealed record TrialStatus(string Id, string Label, string State);
