namespace SweepCluster.Torch.Optim;

/// <summary>Stochastic gradient descent with optional momentum, as PyTorch's <c>torch.optim.SGD</c>.</summary>
public sealed class Sgd : Optimizer
{
    public Sgd(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, 2, lr, momentum, dampening, 0, weightDecay, nesterov)
    {
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    public double Momentum { get; }

    public double Dampening { get; }

    public double WeightDecay { get; }

    public bool Nesterov { get; }

    private protected override Dictionary<string, object?> GroupOptions() => new(StringComparer.Ordinal)
    {
        ["momentum"] = Momentum,
        ["dampening"] = Dampening,
        ["weight_decay"] = WeightDecay,
        ["nesterov"] = Nesterov,
        ["maximize"] = false,
        ["foreach"] = null,
        ["differentiable"] = false,
    };

    private protected override Dictionary<string, object?> ParameterState(long step, Tensor? first, Tensor? second) =>
        new(StringComparer.Ordinal) { ["momentum_buffer"] = first };

    private protected override void LoadParameterState(int index, Dictionary<string, object?> entry)
    {
        if (entry.TryGetValue("momentum_buffer", out var value) && value is Tensor buffer)
        {
            SetState(index, 0, buffer, null);
        }
    }
}
