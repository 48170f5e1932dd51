using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Models;
using SweepCluster.Torch;
using SweepCluster.Torch.Optim;
using TorchDevice = SweepCluster.Torch.Device;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// Trains one trial's <see cref="C2CModel"/> (and discriminator) step by step and evaluates it. The position
/// (epoch, step) and the per-epoch loss history live here, so a checkpoint written after any step resumes to the
/// same subsequent losses: the data are a pure function of (data seed, epoch, step) (<see cref="BatchLoader"/>),
/// the learning rate a pure function of the step, and the checkpoint holds the weights, the optimizer moments and
/// the global RNG state. Not thread-safe; one trainer per thread (libtorch's autograd mode and the dispose scopes
/// are per thread).
/// </summary>
public sealed partial class C2CTrainer : IDisposable
{
    private readonly Optimizer _optimizer;
    private readonly Optimizer? _discriminatorOptimizer;
    private readonly LossSchedule _schedule;
    private readonly BatchLoader _trainLoader;
    private readonly Dictionary<string, (double Sum, int Count)> _epochSums = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyDictionary<string, double>> _history = [];

    /// <summary>Builds the networks from <c>seed</c> on <paramref name="device"/> over the given training set.</summary>
    public C2CTrainer(TrialConfig config, IPairedDataset train, TorchDevice device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(train);
        Config = config;
        Device = device;
        if (config.Threads > 0)
        {
            Torch.Torch.Threads = config.Threads;
        }

        Torch.Torch.UseDeterministicAlgorithms(config.Trainer.Deterministic);
        Torch.Torch.ManualSeed(unchecked((ulong)config.Seed));
        using (var generator = new Generator(unchecked((ulong)config.Seed)))
        {
            Model = new C2CModel(config.Model, config.Trainer, train.Channels, generator);
            if (config.Model.Discriminator.Enabled)
            {
                Discriminator = new PatchDiscriminator(train.Channels, config.Model.Discriminator.Features, generator);
            }
        }

        Model.To(device);
        Discriminator?.To(device);
        var t = config.Trainer;
        _optimizer = CreateOptimizer(Model.Parameters(), t.Lr);
        if (Discriminator is not null)
        {
            _discriminatorOptimizer = CreateOptimizer(Discriminator.Parameters(), config.Model.Discriminator.Lr);
        }

        _schedule = LossSchedule.From(t);
        StepsPerEpoch = t.EffectiveStepsPerEpoch(config.Data);
        TotalSteps = (long)StepsPerEpoch * t.Epochs;
        _trainLoader = new BatchLoader(train, config.Data.BatchSize, config.Data.Seed, shuffle: true);
    }

    public TrialConfig Config { get; }

    public TorchDevice Device { get; }

    public C2CModel Model { get; }

    public PatchDiscriminator? Discriminator { get; }

    public int StepsPerEpoch { get; }

    public long TotalSteps { get; }

    /// <summary>Optimizer steps taken so far.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>Whether every configured step has run.</summary>
    public bool IsFinished => GlobalStep >= TotalSteps;

    /// <summary>The 1-based epoch the next step belongs to (the last epoch once finished).</summary>
    public int CurrentEpoch => (int)Math.Min(Config.Trainer.Epochs, (GlobalStep / StepsPerEpoch) + 1);

    /// <summary>Seconds spent training before this process resumed (from the checkpoint), for the summary.</summary>
    public double PriorSeconds { get; private set; }

    /// <summary>Means of every step metric per completed epoch, in epoch order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> EpochHistory => _history;

    /// <summary>Runs the next step of the schedule (the batch of its epoch and position) and returns its metrics.</summary>
    /// <exception cref="InvalidOperationException">Every step has already run.</exception>
    public StepResult RunNextStep()
    {
        if (IsFinished)
        {
            throw new InvalidOperationException($"All {TotalSteps} steps have run.");
        }

        var epoch = CurrentEpoch;
        var stepInEpoch = (int)(GlobalStep % StepsPerEpoch);
        var batch = _trainLoader.GetBatch(epoch, stepInEpoch);
        var metrics = TrainStep(batch, LossSchedule.EpochProgress(epoch, stepInEpoch, StepsPerEpoch), GlobalStep);
        GlobalStep++;
        foreach (var (name, value) in metrics)
        {
            var (sum, count) = _epochSums.GetValueOrDefault(name);
            _epochSums[name] = (sum + value, count + 1);
        }

        IReadOnlyDictionary<string, double>? means = null;
        if (GlobalStep % StepsPerEpoch == 0)
        {
            means = _epochSums.ToDictionary(p => p.Key, p => p.Value.Sum / p.Value.Count, StringComparer.Ordinal);
            _history.Add(means);
            _epochSums.Clear();
        }

        return new StepResult(epoch, GlobalStep, metrics, means);
    }

    /// <summary>
    /// One optimizer step on <paramref name="batch"/> at the fractional epoch <paramref name="epochProgress"/> (for the
    /// loss weights) and 0-based <paramref name="step"/> (for the learning rate). Everything the step allocates is
    /// released with its dispose scope.
    /// </summary>
    public Dictionary<string, double> TrainStep(PairedBatch batch, double epochProgress, long step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = Torch.Torch.NewDisposeScope();
        var t = Config.Trainer;
        var lr = LearningRateSchedule.At(t.LrSchedule, t.Lr, step, TotalSteps, t.WarmupSteps);
        _optimizer.LearningRate = lr;
        Model.Train();
        Discriminator?.Train();
        var (xA, xB) = (ToTensor(batch.NoisyA, batch.Shape), ToTensor(batch.NoisyB, batch.Shape));
        Tensor? cleanA = null, cleanB = null;
        if (t.Mode == TrainerMode.Supervised)
        {
            cleanA = ToTensor(batch.CleanA ?? throw new InvalidOperationException("The supervised reference needs clean images."), batch.Shape);
            cleanB = ToTensor(batch.CleanB!, batch.Shape);
        }

        var outputs = Model.Forward(xA, xB);
        var weights = _schedule.WeightsAt(epochProgress);
        var terms = C2CLosses.Compute(outputs, xA, xB, weights, t, Discriminator is null ? null : Discriminator.Forward, cleanA, cleanB);
        _optimizer.ZeroGrad();
        terms.Total.Backward();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["loss.content"] = terms.Content.Item(),
            ["loss.recon"] = terms.Recon.Item(),
            ["loss.cross"] = terms.Cross.Item(),
            ["loss.edge"] = terms.Edge.Item(),
        };
        if (terms.Adversarial is not null)
        {
            metrics["loss.adversarial"] = terms.Adversarial.Item();
        }

        metrics["loss.total"] = terms.Total.Item();
        metrics["z_distance"] = (outputs.EncodedA.Z - outputs.EncodedB.Z).Abs().Mean().Item();
        foreach (var (name, parameters) in Model.ParameterGroups())
        {
            metrics["grad_norm." + name] = GradientNorm(parameters);
        }

        if (t.GradClip > 0)
        {
            Functional.ClipGradNorm(_optimizer.Parameters, t.GradClip);
        }

        _optimizer.Step();
        if (Discriminator is not null && _discriminatorOptimizer is not null)
        {
            _discriminatorOptimizer.LearningRate = LearningRateSchedule.At(t.LrSchedule, Config.Model.Discriminator.Lr, step, TotalSteps, t.WarmupSteps);
            _discriminatorOptimizer.ZeroGrad();
            var discriminatorLoss = C2CLosses.DiscriminatorLoss(Discriminator.Forward, outputs);
            discriminatorLoss.Backward();
            metrics["loss.discriminator"] = discriminatorLoss.Item();
            metrics["grad_norm.discriminator"] = GradientNorm(_discriminatorOptimizer.Parameters);
            if (t.GradClip > 0)
            {
                Functional.ClipGradNorm(_discriminatorOptimizer.Parameters, t.GradClip);
            }

            _discriminatorOptimizer.Step();
        }

        metrics["lr"] = lr;
        return metrics;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _discriminatorOptimizer?.Dispose();
        Model.Dispose();
        Discriminator?.Dispose();
    }

    /// <summary>The global L2 norm of the gradients of <paramref name="parameters"/> (0 when none has a gradient).</summary>
    internal static double GradientNorm(IReadOnlyList<Tensor> parameters)
    {
        var squares = new List<Tensor>();
        using (Torch.Torch.NoGrad())
        {
            foreach (var parameter in parameters)
            {
                if (parameter.Grad is { } grad)
                {
                    squares.Add(grad.Square().Sum());
                }
            }

            return squares.Count == 0 ? 0 : Math.Sqrt(Tensor.Stack(squares).Sum().Item());
        }
    }

    private Tensor ToTensor(float[] data, long[] shape)
    {
        var cpu = Tensor.FromArray(data, shape);
        return Device.Type == DeviceType.Cpu ? cpu : cpu.To(Device);
    }

    private Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters, double lr)
    {
        var t = Config.Trainer;
        return t.Optimizer == OptimizerKind.AdamW
            ? new AdamW(parameters, lr, t.Betas[0], t.Betas[1], weightDecay: t.WeightDecay)
            : new Adam(parameters, lr, t.Betas[0], t.Betas[1], weightDecay: t.WeightDecay);
    }
}
