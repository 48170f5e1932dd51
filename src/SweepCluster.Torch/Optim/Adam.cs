using SweepCluster.Torch.Serialization;

namespace SweepCluster.Torch.Optim;

/// <summary>Adam (with L2 weight decay added to the gradient, as PyTorch's <c>torch.optim.Adam</c>).</summary>
public class Adam : Optimizer
{
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(parameters, 0, lr, beta1, beta2, eps, weightDecay)
    {
    }

    private protected Adam(IEnumerable<Tensor> parameters, int kind, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(parameters, kind, lr, beta1, beta2, eps, weightDecay, flag: false)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    public double WeightDecay { get; }

    private protected override Dictionary<string, object?> GroupOptions() => new(StringComparer.Ordinal)
    {
        ["betas"] = new TorchTuple([Beta1, Beta2]),
        ["eps"] = Eps,
        ["weight_decay"] = WeightDecay,
        ["amsgrad"] = false,
        ["maximize"] = false,
        ["foreach"] = null,
        ["capturable"] = false,
        ["differentiable"] = false,
        ["fused"] = false,
    };

    private protected override Dictionary<string, object?> ParameterState(long step, Tensor? first, Tensor? second) => new(StringComparer.Ordinal)
    {
        // PyTorch keeps the step count as a float tensor.
        ["step"] = Tensor.Full([], step),
        ["exp_avg"] = first,
        ["exp_avg_sq"] = second,
    };

    private protected override void LoadParameterState(int index, Dictionary<string, object?> entry)
    {
        var step = entry.TryGetValue("step", out var value) ? value switch
        {
            Tensor t => (long)Math.Round(t.Item()),
            double d => (long)Math.Round(d),
            long l => l,
            _ => throw new InvalidDataException($"optimizer state of parameter {index}: 'step' has an unexpected type"),
        } : throw new InvalidDataException($"optimizer state of parameter {index} lacks 'step'");
        SetState(index, step, RequireTensor(entry, "exp_avg", index), RequireTensor(entry, "exp_avg_sq", index));
    }
}
