namespace SweepCluster.Denoising.Training;

/// <summary>
/// The sink of a trial's events (docs/trial-protocol.md). The trainer calls it from one thread, in order:
/// progress and metric points per step, metric points per epoch and evaluation, a checkpoint after each one is
/// written, artifacts as files are completed, and exactly one summary at the very end of a successful run; a run
/// whose loss stops being finite ends with one <see cref="Diverged"/> instead (no summary follows).
/// Paths are relative to the trial's output directory. Implementations must not throw for a well-formed
/// event; they own nothing of the trainer's.
/// </summary>
public interface ITrialEvents
{
    /// <summary>Training position: 1-based epoch of <paramref name="epochs"/>, global 1-based step of <paramref name="steps"/>.</summary>
    void Progress(int epoch, int epochs, long step, long steps, double? etaSeconds);

    /// <summary>One metric point; (step, name) is unique within a run. The value may be NaN or infinite (a diverged loss is a value).</summary>
    void Metric(long step, int epoch, string name, double value, MetricKind kind);

    void Checkpoint(string path, long step, int epoch);

    void Artifact(string path, ArtifactKind kind, string name);

    void Summary(TrialSummary summary);

    /// <summary>
    /// The loss <paramref name="name"/> of step <paramref name="step"/> is <paramref name="value"/>, NaN or infinite: the
    /// run stops here (<see cref="TrainingDivergedException"/>). Its metric point was reported before this.
    /// </summary>
    void Diverged(long step, int epoch, string name, double value);
}
