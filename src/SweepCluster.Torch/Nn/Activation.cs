namespace SweepCluster.Torch.Nn;

/// <summary>A parameter-free elementwise activation as a module (for <see cref="Sequential"/>).</summary>
public sealed class Activation : Module<Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor> _function;

    private Activation(string name, Func<Tensor, Tensor> function)
    {
        Name = name;
        _function = function;
    }

    public string Name { get; }

    public static Activation Relu() => new("relu", x => x.Relu());

    public static Activation LeakyRelu(double negativeSlope = 0.01) => new("leaky_relu", x => Functional.LeakyRelu(x, negativeSlope));

    public static Activation Sigmoid() => new("sigmoid", x => x.Sigmoid());

    public static Activation Tanh() => new("tanh", x => x.Tanh());

    public override Tensor Forward(Tensor input) => _function(input);
}
