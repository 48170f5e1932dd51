namespace SweepCluster.Torch.Nn;

/// <summary>
/// A neural-network module: named parameters, buffers and child modules, and a training flag,
/// as in PyTorch. A module owns its parameters and buffers (they live outside every dispose
/// scope) and disposes them, and its children, when disposed.
/// Not thread-safe: one module is trained by one thread at a time.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];
    private bool _disposed;

    /// <summary>True in training mode (dropout active, batch-norm statistics updated).</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Registers a trainable parameter; it is made a leaf that requires a gradient.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckName(name);
        parameter.DetachFromScope();
        parameter.RequiresGrad = true;
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>Registers non-trainable state that is saved with the module (batch-norm statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckName(name);
        buffer.DetachFromScope();
        _buffers.Add(new(name, buffer));
        return buffer;
    }

    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        _children.Add(new(name, module));
        return module;
    }

    /// <summary>Parameters of this module and its descendants, with dotted names (<c>down.0.conv.weight</c>).</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters() => Named(m => m._parameters, string.Empty);

    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers() => Named(m => m._buffers, string.Empty);

    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _children;

    /// <summary>All parameters, in registration order (the order optimizers and state files use).</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>The total number of trainable elements.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.NumberOfElements);

    public void Train(bool training = true)
    {
        IsTraining = training;
        foreach (var child in _children)
        {
            child.Value.Train(training);
        }
    }

    public void Eval() => Train(false);

    /// <summary>Parameters then buffers by dotted name, sharing storage with the module (as PyTorch's state_dict).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in NamedParameters().Concat(NamedBuffers()))
        {
            state[name] = tensor;
        }

        return state;
    }

    /// <summary>
    /// Copies <paramref name="state"/> into this module's parameters and buffers. With <paramref name="strict"/>,
    /// missing or unexpected names are an error; shape mismatches always are. Nothing is changed on error.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var problems = new List<string>();
        foreach (var (name, tensor) in own)
        {
            if (!state.TryGetValue(name, out var source))
            {
                if (strict)
                {
                    problems.Add($"missing key '{name}'");
                }

                continue;
            }

            var expected = tensor.Shape;
            var actual = source.Shape;
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                problems.Add($"'{name}' has shape [{string.Join(", ", actual)}] but the module expects [{string.Join(", ", expected)}]");
            }
        }

        if (strict)
        {
            problems.AddRange(state.Keys.Where(k => !own.ContainsKey(k)).Select(k => $"unexpected key '{k}'"));
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"cannot load state into {GetType().Name}: {string.Join("; ", problems)}");
        }

        foreach (var (name, tensor) in own)
        {
            if (state.TryGetValue(name, out var source))
            {
                tensor.CopyFrom(source);
            }
        }
    }

    /// <summary>Writes the state dict to <paramref name="path"/> in the format of torch.save.</summary>
    public void Save(string path) => Serialization.TorchFile.SaveStateDict(path, StateDict());

    /// <summary>Loads a state dict written by <see cref="Save"/> or by torch.save(model.state_dict()).</summary>
    public void Load(string path, bool strict = true)
    {
        using var scope = Torch.NewDisposeScope();
        LoadStateDict(Serialization.TorchFile.LoadStateDict(path), strict);
    }

    /// <summary>Moves every parameter and buffer to <paramref name="device"/> in place of the old ones.</summary>
    public void To(Device device)
    {
        MoveTensors(_parameters, device, isParameter: true);
        MoveTensors(_buffers, device, isParameter: false);
        foreach (var child in _children)
        {
            child.Value.To(device);
        }

        OnMoved();
    }

    /// <summary>Called after <see cref="To"/> so derived modules can refresh fields that point at their tensors.</summary>
    protected virtual void OnMoved()
    {
    }

    /// <summary>The current tensor registered under <paramref name="name"/> on this module.</summary>
    protected Tensor GetTensor(string name) =>
        _parameters.Concat(_buffers).First(p => p.Key == name).Value;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        foreach (var p in _parameters.Concat(_buffers))
        {
            p.Value.Dispose();
        }

        foreach (var child in _children)
        {
            child.Value.Dispose();
        }
    }

    private static void MoveTensors(List<KeyValuePair<string, Tensor>> tensors, Device device, bool isParameter)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            var old = tensors[i].Value;
            if (old.Device == device)
            {
                continue;
            }

            Tensor moved;
            using (Torch.NoGrad())
            {
                moved = old.To(device).DetachFromScope();
            }

            if (isParameter)
            {
                moved.RequiresGrad = true;
            }

            tensors[i] = new(tensors[i].Key, moved);
            old.Dispose();
        }
    }

    private IEnumerable<KeyValuePair<string, Tensor>> Named(Func<Module, List<KeyValuePair<string, Tensor>>> select, string prefix)
    {
        foreach (var (name, tensor) in select(this))
        {
            yield return new(prefix + name, tensor);
        }

        foreach (var (name, child) in _children)
        {
            foreach (var item in child.Named(select, prefix + name + "."))
            {
                yield return item;
            }
        }
    }

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"module member name '{name}' must not contain '.'", nameof(name));
        }

        if (_parameters.Any(p => p.Key == name) || _buffers.Any(p => p.Key == name) || _children.Any(c => c.Key == name))
        {
            throw new ArgumentException($"'{name}' is already registered on {GetType().Name}", nameof(name));
        }
    }
}
