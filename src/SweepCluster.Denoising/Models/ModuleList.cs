using System.Globalization;
using SweepCluster.Torch.Nn;

namespace SweepCluster.Denoising.Models;

/// <summary>An indexed container of child modules named 0, 1, 2, ... (PyTorch's <c>nn.ModuleList</c>); it has no forward.</summary>
internal sealed class ModuleList<T> : Module
    where T : Module
{
    private readonly List<T> _items = [];

    public int Count => _items.Count;

    public T this[int index] => _items[index];

    public void Add(T module)
    {
        RegisterModule(_items.Count.ToString(CultureInfo.InvariantCulture), module);
        _items.Add(module);
    }
}
