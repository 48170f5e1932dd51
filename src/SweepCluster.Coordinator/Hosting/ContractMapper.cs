using System.Text.Json;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator.Contracts;

namespace SweepCluster.Coordinator.Hosting;

/// <summary>Turns the core's records into the API's DTOs.</summary>
internal static class ContractMapper
{
    public static SweepSummaryDto ToDto(SweepRecord record)
    {
        var sweep = record.Sweep;
        var counts = Enum.GetValues<TrialState>().ToDictionary(
            s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString()),
            s => record.TrialCounts.TryGetValue(s, out var n) ? n : 0,
            StringComparer.Ordinal);
        return new SweepSummaryDto(sweep.Id, sweep.Name, sweep.Description, sweep.Question, sweep.ObjectiveMetric, sweep.ObjectiveGoal,
            sweep.CreatedAt, record.SubmittedAt, record.CancelledAt, counts, record.Revision);
    }

    public static TrialDto ToDto(TrialRecord record, bool withConfig, int? queueAhead = null)
    {
        var d = record.Definition;
        var s = record.Snapshot;
        return new TrialDto(d.Id, s.SweepId, d.ConfigName, d.ConfigKey, d.Seed, Parse(d.ParametersJson) ?? default, d.Expect, d.ExpectedVerdict,
            s.State, s.CurrentAttempt, s.MaxAttempts, s.Priority, s.OrderIndex,
            new ResourcesView(d.Resources.Gpus, d.Resources.GpuMemoryGiB, d.Resources.Labels),
            s.PendingReason, Parse(s.SummaryJson), s.LastCheckpointArtifactId, s.Attempt is null ? null : ToDto(s.Attempt),
            withConfig ? Parse(d.ConfigJson) : null, queueAhead, s.RemovedInRevision, s.StopReason);
    }

    public static AttemptDto ToDto(AttemptSnapshot a) =>
        new(a.Number, a.State, a.SiloId, a.SlotIds, a.StartedAt, a.EndedAt, a.Error,
            a.Progress is null ? null : new ProgressDto(a.Progress.Step, a.Progress.TotalSteps, a.Progress.Epoch));

    public static ArtifactDto ToDto(ArtifactInfo a) => new(a.Id, a.TrialId, a.Attempt, a.Kind, a.Name, a.Sha256, a.Size, a.CreatedAt);

    public static MetricRecordDto ToDto(MetricPointRecord r) =>
        new(r.Attempt, r.Point.Step, r.Point.Name, r.Point.Value, r.Point.Epoch, r.Point.Kind, r.RecordedAt);

    public static EventDto ToDto(EventRecord e) => new(e.Id, e.At, e.SweepId, e.TrialId, e.Attempt, e.Kind, e.Message);

    public static SlotView ToDto(SlotInfo s) => new(s.Id, s.GpuIndex, s.GpuName, s.GpuMemoryGiB);

    public static SiloDto ToDto(SiloInfo s, SchedulerView scheduler) =>
        new(s.Id, s.Name, s.Labels, [.. s.Slots.Select(ToDto)], scheduler.Silos.ContainsKey(s.Id));

    public static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
