using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Models;
using SweepCluster.Denoising.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TorchDevice = TorchSharp.torch.Device;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// Trains one trial's <see cref="C2CModel"/> (and discriminator) step by step and evaluates it. The position
/// (epoch, step) and the per-epoch loss history live here, so a checkpoint written after any step resumes to the
/// same subsequent losses: the data are a pure function of (data seed, epoch, step) (<see cref="BatchLoader"/>),
/// the learning rate a pure function of the step, and the checkpoint holds the weights, the optimizer moments and
/// the global RNG state. Not thread-safe; one trainer per thread (libtorch's autograd mode and the dispose scopes
/// are per thread). The first step checks every metric for NaN and infinity and throws
/// <see cref="NonFiniteStartException"/>, so a network that starts from garbage fails loudly instead of training.
/// </summary>
public sealed partial class C2CTrainer : IDisposable
{
    private readonly LearningRateSchedule _learningRate;
    private OptimizerHelper _optimizer;
    private readonly OptimizerHelper? _discriminatorOptimizer;
    private readonly LossSchedule _schedule;
    private readonly BatchLoader _trainLoader;
    private readonly Dictionary<string, (double Sum, int Count)> _epochSums = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyDictionary<string, double>> _history = [];
    private readonly Parameter[] _modelParameters;
    private readonly Parameter[] _discriminatorParameters = [];

    /// <summary>Builds the networks from <c>seed</c> on <paramref name="device"/> over the given training set.</summary>
    public C2CTrainer(TrialConfig config, IPairedDataset train, TorchDevice device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(train);
        Config = config;
        Device = device;
        TorchRuntime.Configure(config.Threads);
        TorchRuntime.UseDeterministicAlgorithms(config.Trainer.Deterministic);

        // The networks' starting weights are drawn from the global generator, seeded here; the seed also fixes the
        // generator's later state, which the checkpoint carries.
        manual_seed(config.Seed);
        Model = new C2CModel(config.Model, config.Trainer, train.Channels);
        if (config.Model.Discriminator.Enabled)
        {
            Discriminator = new PatchDiscriminator(train.Channels, config.Model.Discriminator.Features);
        }

        Model.to(device);
        Discriminator?.to(device);
        var t = config.Trainer;
        _modelParameters = [.. Model.parameters()];
        _optimizer = CreateOptimizer(_modelParameters, t.Lr);
        if (Discriminator is not null)
        {
            _discriminatorParameters = [.. Discriminator.parameters()];
            _discriminatorOptimizer = CreateOptimizer(_discriminatorParameters, config.Model.Discriminator.Lr);
        }

        _schedule = LossSchedule.From(t);
        StepsPerEpoch = t.EffectiveStepsPerEpoch(config.Data);
        _learningRate = new LearningRateSchedule(t, StepsPerEpoch);
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
            Accumulate(name, value);
        }

        if (metrics.TryGetValue("loss.cross", out var crossLoss))
        {
            Accumulate(CrossSquareSum, crossLoss * crossLoss);
        }

        IReadOnlyDictionary<string, double>? means = null;
        if (GlobalStep % StepsPerEpoch == 0)
        {
            AdjustForCollapse();
            var epochMeans = _epochSums.Where(p => p.Key != CrossSquareSum).ToDictionary(p => p.Key, p => p.Value.Sum / p.Value.Count, StringComparer.Ordinal);
            if (_epochSums.TryGetValue(CrossSquareSum, out var squares) && squares.Count > 1)
            {
                // The step-to-step spread within the epoch: the uncertainty of the excess loss's decrease stands on it.
                var mean = epochMeans["loss.cross"];
                var variance = ((squares.Sum / squares.Count) - (mean * mean)) * squares.Count / (squares.Count - 1);
                epochMeans[CrossStepSdMetric] = Math.Sqrt(Math.Max(0, variance));
            }

            means = epochMeans;
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
        using var scope = NewDisposeScope();
        var t = Config.Trainer;
        if (_learningRate.StartsPhase(step))
        {
            StartFreshPhase();
        }

        var lr = _learningRate.At(step);
        SetLearningRate(_optimizer, lr);
        Model.train();
        Discriminator?.train();
        var (xA, xB) = (ToTensor(batch.NoisyA, batch.Shape), ToTensor(batch.NoisyB, batch.Shape));
        Tensor? cleanA = null, cleanB = null;
        if (t.Mode is TrainerMode.Supervised or TrainerMode.SupervisedCross)
        {
            cleanA = ToTensor(batch.CleanA ?? throw new InvalidOperationException("The supervised reference needs clean images."), batch.Shape);
            cleanB = ToTensor(batch.CleanB!, batch.Shape);
        }

        // With the median scale the network works on each slice divided by its scale, as the public implementation's
        // loader hands it; the cross terms go back to the slice's own scale (C2CLosses).
        (xA, xB, var scaleA, var scaleB) = SliceScale.Apply(t.CrossLossScale, xA, xB);
        if (scaleA is not null && scaleB is not null)
        {
            (cleanA, cleanB) = (cleanA is null ? null : cleanA / scaleA, cleanB is null ? null : cleanB / scaleB);
        }

        var (inputA, inputB) = (xA, xB);
        if (t.InputNoiseSigma > 0)
        {
            // Fresh noise every step on the encoder's inputs only; drawn from the global generator, which the checkpoint carries.
            inputA = xA.Plus(randn_like(xA).Times(t.InputNoiseSigma));
            inputB = xB.Plus(randn_like(xB).Times(t.InputNoiseSigma));
        }

        var outputs = Model.forward(inputA, inputB);
        var weights = AdjustedWeights(_schedule.WeightsAt(epochProgress));
        var terms = C2CLosses.Compute(outputs, xA, xB, weights, t, Discriminator is null ? null : Discriminator.forward, cleanA, cleanB, scaleA, scaleB);
        _optimizer.zero_grad();
        terms.Total.backward();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["loss.content"] = Item(terms.Content),
            ["loss.recon"] = Item(terms.Recon),
            ["loss.cross"] = Item(terms.Cross),
            ["loss.edge"] = Item(terms.Edge),
        };
        if (terms.Adversarial is not null)
        {
            metrics["loss.adversarial"] = Item(terms.Adversarial);
        }

        metrics["loss.total"] = Item(terms.Total);
        metrics["z_distance"] = Item((outputs.EncodedA.Z - outputs.EncodedB.Z).abs().mean());
        if (t.AntiCollapse.Enabled)
        {
            using var noGrad = no_grad();
            var crossA = scaleA is null ? outputs.XAFromB : outputs.XAFromB * scaleA;
            var crossB = scaleB is null ? outputs.XBFromA : outputs.XBFromA * scaleB;
            metrics[LatentVarianceMetric] = 0.5 * (Item(outputs.EncodedA.Z.var(unbiased: false)) + Item(outputs.EncodedB.Z.var(unbiased: false)));
            metrics[CrossVarianceMetric] = 0.5 * (Item(crossA.var(unbiased: false)) + Item(crossB.var(unbiased: false)));
            metrics["loss_weight.content"] = weights.Content;
            metrics["loss_weight.recon"] = weights.Recon;
        }

        foreach (var (name, parameters) in Model.ParameterGroups())
        {
            metrics["grad_norm." + name] = GradientNorm(parameters);
        }

        if (step == 0)
        {
            // Before the optimizer touches the weights, so the report names the broken ones, not all of them.
            NonFiniteStartException.ThrowIfAny(metrics, NonFiniteParameters);
        }

        if (t.GradClip > 0)
        {
            nn.utils.clip_grad_norm_(_modelParameters, t.GradClip);
        }

        _optimizer.step();
        if (Discriminator is not null && _discriminatorOptimizer is not null)
        {
            SetLearningRate(_discriminatorOptimizer, LearningRateSchedule.At(t.LrSchedule, Config.Model.Discriminator.Lr, step, TotalSteps, t.WarmupSteps));
            _discriminatorOptimizer.zero_grad();
            var discriminatorLoss = C2CLosses.DiscriminatorLoss(Discriminator.forward, outputs);
            discriminatorLoss.backward();
            metrics["loss.discriminator"] = Item(discriminatorLoss);
            metrics["grad_norm.discriminator"] = GradientNorm(_discriminatorParameters);
            if (t.GradClip > 0)
            {
                nn.utils.clip_grad_norm_(_discriminatorParameters, t.GradClip);
            }

            _discriminatorOptimizer.step();
        }

        metrics["lr"] = lr;
        return metrics;
    }

    /// <summary>
    /// The per-epoch entry of <see cref="EpochHistory"/> holding the sample standard deviation of the step values of
    /// <c>loss.cross</c> in that epoch (absent with one step per epoch).
    /// </summary>
    public const string CrossStepSdMetric = "loss.cross.step_sd";

    /// <summary>The running sum of squared cross losses; kept beside the other sums so a checkpoint carries it.</summary>
    private const string CrossSquareSum = "loss.cross.square_sum";

    public void Dispose()
    {
        _optimizer.Dispose();
        _discriminatorOptimizer?.Dispose();
        Model.Dispose();
        Discriminator?.Dispose();
    }

    private void Accumulate(string name, double value)
    {
        var (sum, count) = _epochSums.GetValueOrDefault(name);
        _epochSums[name] = (sum + value, count + 1);
    }

    /// <summary>Names of the parameters whose values or gradients hold NaN or infinity (where a bad start shows).</summary>
    private List<string> NonFiniteParameters()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        IEnumerable<(string Name, Parameter Parameter)> all = Model.named_parameters();
        if (Discriminator is not null)
        {
            all = all.Concat(Discriminator.named_parameters().Select(p => ("discriminator." + p.name, p.parameter)));
        }

        var parameters = all.ToList();
        var values = parameters.Where(p => !isfinite(p.Parameter).all().item<bool>()).Select(p => p.Name).ToList();
        return values.Count > 0
            ? values
            : [.. parameters.Where(p => p.Parameter.grad is { } g && !isfinite(g).all().item<bool>()).Select(p => p.Name + ".grad")];
    }

    /// <summary>The global L2 norm of the gradients of <paramref name="parameters"/> (0 when none has a gradient).</summary>
    internal static double GradientNorm(IEnumerable<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var squares = parameters.Select(p => p.grad).OfType<Tensor>().Select(g => g.Squared().sum()).ToList();
        return squares.Count == 0 ? 0 : Math.Sqrt(stack(squares).sum().item<float>());
    }

    /// <summary>A scalar tensor's value (float32 on the device) as a double.</summary>
    internal static double Item(Tensor scalar) => scalar.to(torch.ScalarType.Float64).item<double>();

    private Tensor ToTensor(float[] data, long[] shape)
    {
        var cpu = tensor(data, shape);
        return Device.type == DeviceType.CPU ? cpu : cpu.to(Device);
    }

    private static void SetLearningRate(OptimizerHelper optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = lr;
        }
    }

    /// <summary>A new training phase: the optimizer's state is cleared, and so are anti-collapse's adjustments.</summary>
    private void StartFreshPhase()
    {
        _optimizer.Dispose();
        _optimizer = CreateOptimizer(_modelParameters, Config.Trainer.Lr);
        _collapsedEpochs = 0;
        _collapseAdjustments = 0;
    }

    private OptimizerHelper CreateOptimizer(IEnumerable<Parameter> parameters, double lr)
    {
        var t = Config.Trainer;
        return t.Optimizer == OptimizerKind.AdamW
            ? new HeldScalarAdamW(parameters, lr, t.Betas[0], t.Betas[1], t.WeightDecay)
            : new HeldScalarAdam(parameters, lr, t.Betas[0], t.Betas[1], t.WeightDecay);
    }
}
