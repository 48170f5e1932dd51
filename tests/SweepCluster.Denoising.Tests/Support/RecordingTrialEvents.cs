using SweepCluster.Denoising.Training;

namespace SweepCluster.Denoising.Tests.Support;

/// <summary>Keeps every event in memory, in order, for assertions.</summary>
internal sealed class RecordingTrialEvents : ITrialEvents
{
    public List<(long Step, int Epoch, string Name, double Value, MetricKind Kind)> Metrics { get; } = [];

    public List<(int Epoch, long Step, long Steps)> ProgressEvents { get; } = [];

    public List<(string Path, long Step, int Epoch)> Checkpoints { get; } = [];

    public List<(string Path, ArtifactKind Kind, string Name)> Artifacts { get; } = [];

    public List<TrialSummary> Summaries { get; } = [];

    public List<(long Step, int Epoch, string Name, double Value)> Divergences { get; } = [];

    public void Progress(int epoch, int epochs, long step, long steps, double? etaSeconds) => ProgressEvents.Add((epoch, step, steps));

    public void Metric(long step, int epoch, string name, double value, MetricKind kind) => Metrics.Add((step, epoch, name, value, kind));

    public void Checkpoint(string path, long step, int epoch) => Checkpoints.Add((path, step, epoch));

    public void Artifact(string path, ArtifactKind kind, string name) => Artifacts.Add((path, kind, name));

    public void Summary(TrialSummary summary) => Summaries.Add(summary);

    public void Diverged(long step, int epoch, string name, double value) => Divergences.Add((step, epoch, name, value));
}
