using SweepCluster.Torch.Optim;
using SweepCluster.Torch.Serialization;

namespace SweepCluster.Torch.Tests;

/// <summary>Optimizer updates, state files and the cosine schedule against PyTorch's own optimizers.</summary>
[Trait("Category", "Integration")]
public sealed class OptimizerParityTests : IDisposable
{
    private const int Steps = 5;
    private readonly TempDirectory _directory = new();
    private readonly DisposeScope _scope = Torch.NewDisposeScope();

    public void Dispose()
    {
        _scope.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("adam", 0.0)]
    [InlineData("adam", 0.01)]
    [InlineData("adamw", 0.05)]
    [InlineData("sgd", 0.001)]
    public void Steps_match_pytorch(string kind, double weightDecay)
    {
        using var generator = new Generator(7);
        var initial = new[] { Tensor.Randn([4, 3], generator), Tensor.Randn([3], generator) };
        var grads = Enumerable.Range(0, Steps).Select(_ => initial.Select(p => Tensor.Randn(p.Shape, generator)).ToArray()).ToArray();

        var parameters = initial.Select(p => p.Clone().RequiresGradient()).ToArray();
        using var optimizer = Create(kind, parameters, weightDecay);
        foreach (var stepGrads in grads)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Grad = stepGrads[i];
            }

            optimizer.Step();
        }

        var reference = RunReference(kind, weightDecay, initial, grads, resumeState: null, cosine: null);
        for (var i = 0; i < parameters.Length; i++)
        {
            TensorAssert.Close(Parameter(reference, i), parameters[i].Detach(), 1e-5, 1e-6, $"{kind} parameter {i} after {Steps} steps");
        }
    }

    [Fact]
    public void Adam_state_saved_here_resumes_in_pytorch_and_back()
    {
        using var generator = new Generator(11);
        var initial = new[] { Tensor.Randn([5, 2], generator), Tensor.Randn([2], generator) };
        var grads = Enumerable.Range(0, 2 * Steps).Select(_ => initial.Select(p => Tensor.Randn(p.Shape, generator)).ToArray()).ToArray();

        // Train the first half here, save the optimizer state in torch.save format.
        var parameters = initial.Select(p => p.Clone().RequiresGradient()).ToArray();
        using var optimizer = new Adam(parameters, lr: 0.05);
        Apply(optimizer, parameters, grads.Take(Steps));
        var statePath = _directory.File("adam.pt");
        optimizer.Save(statePath);

        // PyTorch loads that state and does the second half; this side does the same after reloading its own file.
        var middle = parameters.Select(p => p.Detach().Clone()).ToArray();
        var state = (Dictionary<string, object?>)TorchFile.Load(statePath)!;
        var reference = RunReference("adam", 0, middle, grads.Skip(Steps).ToArray(), state, cosine: null);

        var resumed = middle.Select(p => p.Clone().RequiresGradient()).ToArray();
        using var second = new Adam(resumed, lr: 0.05);
        second.Load(statePath);
        Apply(second, resumed, grads.Skip(Steps));
        for (var i = 0; i < resumed.Length; i++)
        {
            TensorAssert.Close(Parameter(reference, i), resumed[i].Detach(), 1e-5, 1e-6, $"parameter {i} after resuming");
        }

        // PyTorch's own optimizer state file loads here (single-entry lists and dicts included),
        // and its moments and step counts equal ours.
        using var fromPyTorch = new Adam(resumed.Select(p => p.Detach().Clone().RequiresGradient()), lr: 0.05);
        fromPyTorch.LoadStateDict((Dictionary<string, object?>)reference["state"]!);
        var mine = (Dictionary<long, object?>)second.StateDict()["state"]!;
        var theirs = (Dictionary<long, object?>)fromPyTorch.StateDict()["state"]!;
        for (long i = 0; i < resumed.Length; i++)
        {
            var a = (Dictionary<string, object?>)mine[i]!;
            var b = (Dictionary<string, object?>)theirs[i]!;
            Assert.Equal(((Tensor)b["step"]!).Item(), ((Tensor)a["step"]!).Item());
            TensorAssert.Close((Tensor)b["exp_avg"]!, (Tensor)a["exp_avg"]!, 1e-5, 1e-7, $"exp_avg {i}");
            TensorAssert.Close((Tensor)b["exp_avg_sq"]!, (Tensor)a["exp_avg_sq"]!, 1e-5, 1e-9, $"exp_avg_sq {i}");
        }
    }

    [Fact]
    public void Cosine_schedule_matches_pytorch_cosine_annealing()
    {
        using var generator = new Generator(3);
        var initial = new[] { Tensor.Randn([3], generator) };
        var grads = Enumerable.Range(0, 8).Select(_ => new[] { Tensor.Randn([3], generator) }).ToArray();
        var parameters = initial.Select(p => p.Clone().RequiresGradient()).ToArray();
        using var optimizer = new Adam(parameters, lr: 0.1, beta1: 0.85, beta2: 0.99, eps: 1e-7);
        var schedule = new CosineAnnealingLr(optimizer, totalSteps: 8, minLearningRate: 0.01);
        var ours = new List<double>();
        foreach (var step in grads)
        {
            parameters[0].Grad = step[0];
            ours.Add(optimizer.LearningRate);
            optimizer.Step();
            schedule.Step();
        }

        var reference = RunReference("adam", 0, initial, grads, null, cosine: (8, 0.01), lr: 0.1);
        var theirs = ((List<object?>)reference["lrs"]!).Select(v => (double)v!).ToList();
        Assert.Equal(theirs.Count, ours.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(theirs[i], ours[i], 1e-9);
        }

        TensorAssert.Close(Parameter(reference, 0), parameters[0].Detach(), 1e-5, 1e-6, "parameter under the cosine schedule");
    }

    private static Tensor Parameter(Dictionary<string, object?> reference, int index) =>
        (Tensor)((List<object?>)reference["params"]!)[index]!;

    private static void Apply(Optimizer optimizer, Tensor[] parameters, IEnumerable<Tensor[]> grads)
    {
        foreach (var step in grads)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Grad = step[i];
            }

            optimizer.Step();
        }
    }

    private static Optimizer Create(string kind, Tensor[] parameters, double weightDecay) => kind switch
    {
        "adam" => new Adam(parameters, lr: 0.01, beta1: 0.85, beta2: 0.99, eps: 1e-7, weightDecay: weightDecay),
        "adamw" => new AdamW(parameters, lr: 0.01, beta1: 0.85, beta2: 0.99, eps: 1e-7, weightDecay: weightDecay),
        _ => new Sgd(parameters, lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: weightDecay),
    };

    private Dictionary<string, object?> RunReference(string kind, double weightDecay, Tensor[] initial, Tensor[][] grads, Dictionary<string, object?>? resumeState, (int Total, double Min)? cosine, double? lr = null)
    {
        var options = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["beta1"] = 0.85,
            ["beta2"] = 0.99,
            ["eps"] = 1e-7,
            ["weight_decay"] = weightDecay,
            ["momentum"] = 0.9,
            ["dampening"] = 0.1,
            ["nesterov"] = false,
        };
        if (resumeState is not null)
        {
            options["beta1"] = 0.9;
            options["beta2"] = 0.999;
            options["eps"] = 1e-8;
        }

        var spec = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["kind"] = kind,
            ["lr"] = lr ?? (resumeState is not null ? 0.05 : kind == "sgd" ? 0.05 : 0.01),
            ["params"] = initial.ToList<object?>(),
            ["grads"] = grads.Select(g => (object?)g.ToList<object?>()).ToList(),
            ["options"] = options,
            ["resume_state"] = resumeState,
            ["cosine"] = cosine is null ? null : new List<object?> { (long)cosine.Value.Total, cosine.Value.Min },
        };
        var input = _directory.File($"optim-{Guid.NewGuid():N}.pt");
        var output = _directory.File($"optim-out-{Guid.NewGuid():N}.pt");
        TorchFile.Save(input, spec);
        PythonReference.Run([PythonReference.ScriptPath("optim_reference.py"), input, output]);
        return (Dictionary<string, object?>)TorchFile.Load(output)!;
    }
}
