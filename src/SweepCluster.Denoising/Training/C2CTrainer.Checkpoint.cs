using SweepCluster.Torch;
using SweepCluster.Torch.Serialization;

namespace SweepCluster.Denoising.Training;

public sealed partial class C2CTrainer
{
    private const long CheckpointFormat = 1;

    /// <summary>
    /// Writes a resumable checkpoint in torch.save format (atomically: a temporary file renamed into place):
    /// <c>model</c> and <c>discriminator</c> state dicts, <c>optimizer</c>/<c>optimizer_discriminator</c> states,
    /// <c>step</c> (completed steps; the data-loader position follows from it), <c>rng_state</c> (the global CPU
    /// generator), <c>history</c> (per-epoch means), <c>epoch_sums</c> (the running sums of a partial epoch) and
    /// <c>elapsed_s</c>.
    /// </summary>
    public void SaveCheckpoint(string path, double elapsedSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var scope = Torch.Torch.NewDisposeScope();
        var value = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["format"] = CheckpointFormat,
            ["model"] = Model.StateDict().ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal),
            ["optimizer"] = _optimizer.StateDict(),
            ["step"] = GlobalStep,
            ["epoch"] = (long)CurrentEpoch,
            ["rng_state"] = Torch.Torch.GetRngState(),
            ["elapsed_s"] = PriorSeconds + elapsedSeconds,
            ["history"] = _history.Select(h => (object?)ToObjectMap(h)).ToList(),
            ["epoch_sums"] = _epochSums.ToDictionary(p => p.Key, p => (object?)new List<object?> { p.Value.Sum, (long)p.Value.Count }, StringComparer.Ordinal),
        };
        if (Discriminator is not null && _discriminatorOptimizer is not null)
        {
            value["discriminator"] = Discriminator.StateDict().ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
            value["optimizer_discriminator"] = _discriminatorOptimizer.StateDict();
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        TorchFile.Save(path, value);
    }

    /// <summary>Restores everything <see cref="SaveCheckpoint"/> wrote into this freshly built trainer.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this configuration's networks.</exception>
    public void LoadCheckpoint(string path)
    {
        using var scope = Torch.Torch.NewDisposeScope();
        if (TorchFile.Load(path) is not Dictionary<string, object?> value || !value.TryGetValue("format", out var format) || format is not long)
        {
            throw new InvalidDataException($"'{path}' is not a trainer checkpoint.");
        }

        try
        {
            Model.LoadStateDict(Tensors(value["model"]));
            _optimizer.LoadStateDict(Map(value["optimizer"]));
            if (Discriminator is not null && _discriminatorOptimizer is not null)
            {
                Discriminator.LoadStateDict(Tensors(value["discriminator"]));
                _discriminatorOptimizer.LoadStateDict(Map(value["optimizer_discriminator"]));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"'{path}' does not fit this configuration's networks: {e.Message}", e);
        }

        GlobalStep = (long)value["step"]!;
        Torch.Torch.SetRngState((Tensor)value["rng_state"]!);
        PriorSeconds = (double)value["elapsed_s"]!;
        _history.Clear();
        foreach (var entry in (List<object?>)value["history"]!)
        {
            _history.Add(Map(entry).ToDictionary(p => p.Key, p => (double)p.Value!, StringComparer.Ordinal));
        }

        _epochSums.Clear();
        foreach (var (name, entry) in Map(value["epoch_sums"]))
        {
            var pair = (List<object?>)entry!;
            _epochSums[name] = ((double)pair[0]!, (int)(long)pair[1]!);
        }
    }

    private static Dictionary<string, object?> ToObjectMap(IReadOnlyDictionary<string, double> values) =>
        values.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);

    private static Dictionary<string, object?> Map(object? value) => value switch
    {
        Dictionary<string, object?> map => map,
        Dictionary<long, object?> { Count: 0 } => new Dictionary<string, object?>(StringComparer.Ordinal),
        _ => throw new InvalidDataException("A checkpoint entry that should be a dictionary is not one."),
    };

    private static Dictionary<string, Tensor> Tensors(object? value) =>
        Map(value).ToDictionary(p => p.Key, p => p.Value as Tensor ?? throw new InvalidDataException($"Checkpoint entry '{p.Key}' is not a tensor."), StringComparer.Ordinal);
}
