using System.Globalization;

namespace SweepCluster.Torch.Nn;

/// <summary>Modules applied in order; children are named 0, 1, 2, ... as in PyTorch.</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> _layers = [];

    public Sequential(params IEnumerable<Module<Tensor, Tensor>> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers)
        {
            Add(layer);
        }
    }

    public int Count => _layers.Count;

    public Module<Tensor, Tensor> this[int index] => _layers[index];

    public void Add(Module<Tensor, Tensor> layer)
    {
        RegisterModule(_layers.Count.ToString(CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
    }

    /// <summary>Runs the layers in order; intermediate results belong to the caller's dispose scope.</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            x = layer.Forward(x);
        }

        return x;
    }
}
