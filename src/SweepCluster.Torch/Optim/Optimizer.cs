using SweepCluster.Torch.Interop;
using SweepCluster.Torch.Serialization;

namespace SweepCluster.Torch.Optim;

/// <summary>
/// A libtorch optimizer over a fixed list of parameters (one parameter group). The update rules are
/// libtorch's own, which follow PyTorch's. <see cref="StateDict"/> has the layout of PyTorch's
/// <c>optimizer.state_dict()</c>, so optimizer state moves both ways with torch.save/torch.load.
/// Not thread-safe.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<Tensor> _parameters;

    private protected Optimizer(IEnumerable<Tensor> parameters, int kind, double lr, double a, double b, double eps, double weightDecay, bool flag)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToList();
        if (_parameters.Count == 0)
        {
            throw new ArgumentException("an optimizer needs at least one parameter", nameof(parameters));
        }

        InitialLearningRate = lr;
        Handle = Create(kind, lr, a, b, eps, weightDecay, flag);
    }

    internal OptimizerHandle Handle { get; }

    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The learning rate given at construction (schedules scale from it).</summary>
    public double InitialLearningRate { get; }

    public double LearningRate
    {
        get => NativeMethods.st_optimizer_get_lr(Handle);
        set => Status.ThrowIfFailed(NativeMethods.st_optimizer_set_lr(Handle, value));
    }

    public void Step() => Status.ThrowIfFailed(NativeMethods.st_optimizer_step(Handle));

    public void ZeroGrad(bool setToNone = true) => Status.ThrowIfFailed(NativeMethods.st_optimizer_zero_grad(Handle, setToNone ? 1 : 0));

    /// <summary>The optimizer's state as PyTorch lays it out: <c>{"state": {i: {...}}, "param_groups": [{...}]}</c>.</summary>
    public Dictionary<string, object?> StateDict()
    {
        var state = new Dictionary<long, object?>();
        for (var i = 0; i < _parameters.Count; i++)
        {
            Status.ThrowIfFailed(NativeMethods.st_optimizer_get_state(Handle, i, out var step, out var s1, out var s2));
            var first = s1.IsInvalid ? null : new Tensor(s1);
            var second = s2.IsInvalid ? null : new Tensor(s2);
            if (step >= 0)
            {
                state[i] = ParameterState(step, first, second);
            }
        }

        var group = GroupOptions();
        group["lr"] = LearningRate;
        group["initial_lr"] = InitialLearningRate;
        group["params"] = Enumerable.Range(0, _parameters.Count).Select(i => (object?)(long)i).ToList();
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["state"] = state,
            ["param_groups"] = new List<object?> { group },
        };
    }

    /// <summary>Restores state saved by <see cref="StateDict"/> or by PyTorch for the same parameter list.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, object?> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (!stateDict.TryGetValue("param_groups", out var groupsValue) || groupsValue is not List<object?> { Count: 1 } groups ||
            groups[0] is not Dictionary<string, object?> group)
        {
            throw new InvalidDataException("optimizer state needs 'param_groups' with exactly one group");
        }

        if (group.TryGetValue("params", out var ids) && ids is List<object?> idList && idList.Count != _parameters.Count)
        {
            throw new InvalidDataException($"optimizer state is for {idList.Count} parameters but this optimizer has {_parameters.Count}");
        }

        var states = stateDict.TryGetValue("state", out var s) ? s : null;
        var byIndex = states switch
        {
            Dictionary<long, object?> d => d,
            Dictionary<string, object?> { Count: 0 } => [],
            null => [],
            _ => throw new InvalidDataException("optimizer 'state' must be a dictionary keyed by parameter index"),
        };

        foreach (var (index, value) in byIndex)
        {
            if (index < 0 || index >= _parameters.Count)
            {
                throw new InvalidDataException($"optimizer state names parameter {index}, out of range");
            }

            if (value is not Dictionary<string, object?> entry)
            {
                throw new InvalidDataException($"optimizer state of parameter {index} is not a dictionary");
            }

            LoadParameterState((int)index, entry);
        }

        if (group.TryGetValue("lr", out var lr) && lr is double rate)
        {
            LearningRate = rate;
        }
    }

    public void Save(string path) => TorchFile.Save(path, StateDict());

    public void Load(string path)
    {
        using var scope = Torch.NewDisposeScope();
        var value = TorchFile.Load(path) as Dictionary<string, object?>
            ?? throw new InvalidDataException($"'{path}' does not hold an optimizer state dict");
        LoadStateDict(value);
    }

    public void Dispose()
    {
        Handle.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected abstract Dictionary<string, object?> GroupOptions();

    private protected abstract Dictionary<string, object?> ParameterState(long step, Tensor? first, Tensor? second);

    private protected abstract void LoadParameterState(int index, Dictionary<string, object?> entry);

    private protected void SetState(int index, long step, Tensor? first, Tensor? second) =>
        Status.ThrowIfFailed(NativeMethods.st_optimizer_set_state(Handle, index, step, first?.Handle ?? TensorHandle.Null, second?.Handle ?? TensorHandle.Null));

    private protected static Tensor RequireTensor(Dictionary<string, object?> entry, string key, int index) =>
        entry.TryGetValue(key, out var value) && value is Tensor t
            ? t
            : throw new InvalidDataException($"optimizer state of parameter {index} lacks tensor '{key}'");

    private unsafe OptimizerHandle Create(int kind, double lr, double a, double b, double eps, double weightDecay, bool flag)
    {
        using var pinned = new HandleArray(_parameters);
        fixed (IntPtr* p = pinned.Pointers)
        {
            Status.ThrowIfFailed(NativeMethods.st_optimizer_new(kind, p, pinned.Pointers.Length, lr, a, b, eps, weightDecay, flag ? 1 : 0, out var handle));
            return handle;
        }
    }
}
