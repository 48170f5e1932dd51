using System.Collections;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Training;

public sealed partial class C2CTrainer
{
    private const long CheckpointFormat = 2;

    /// <summary>
    /// Writes a resumable checkpoint in PyTorch's <c>torch.save</c> format (written by TorchSharp.PyBridge, atomically:
    /// a temporary file renamed into place), so <c>torch.load(path)["model"]</c> is a state dict PyTorch's own model
    /// loads: <c>model</c> and <c>discriminator</c> state dicts, <c>optimizer</c>/<c>optimizer_discriminator</c> in
    /// PyTorch's optimizer state-dict layout, <c>step</c> (completed steps; the data-loader position follows from it),
    /// <c>rng_state</c> (the global CPU generator), <c>history</c> (per-epoch means), <c>epoch_sums</c> (the running sums
    /// of a partial epoch), <c>anti_collapse</c> (collapsed epochs in a row, adjustments made) and <c>elapsed_s</c>.
    /// </summary>
    public void SaveCheckpoint(string path, double elapsedSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var rngState = get_rng_state();
        var optimizerState = OptimizerState(_optimizer);
        var discriminatorOptimizerState = _discriminatorOptimizer is null ? null : OptimizerState(_discriminatorOptimizer);
        var value = new Hashtable
        {
            ["format"] = CheckpointFormat,
            ["model"] = StateDict(Model),
            ["optimizer"] = optimizerState,
            ["step"] = GlobalStep,
            ["epoch"] = (long)CurrentEpoch,
            ["rng_state"] = rngState,
            ["elapsed_s"] = PriorSeconds + elapsedSeconds,
            ["history"] = new ArrayList(_history.Select(ToTable).ToList()),
            ["epoch_sums"] = ToTable(_epochSums.ToDictionary(p => p.Key, p => (object)new ArrayList { p.Value.Sum, (long)p.Value.Count }, StringComparer.Ordinal)),
            ["anti_collapse"] = new ArrayList { (long)_collapsedEpochs, (long)_collapseAdjustments },
        };
        if (Discriminator is not null && _discriminatorOptimizer is not null)
        {
            value["discriminator"] = StateDict(Discriminator);
            value["optimizer_discriminator"] = discriminatorOptimizerState;
        }

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        using (var stream = File.Create(temporary))
        {
            PyTorchPickler.PickleStateDict(stream, value, leaveOpen: true);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, full, overwrite: true);
        DisposeTensors(optimizerState);
        DisposeTensors(discriminatorOptimizerState);
    }

    /// <summary>Writes the model's weights alone as a PyTorch state dict (<c>model.load_state_dict(torch.load(path))</c>).</summary>
    public void SaveWeights(string path) => Model.save_py(path);

    /// <summary>Restores everything <see cref="SaveCheckpoint"/> wrote into this freshly built trainer.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this configuration's networks.</exception>
    public void LoadCheckpoint(string path)
    {
        // No dispose scope here: the optimizers keep the state tensors they load. What was read is disposed at the end.
        Hashtable value;
        try
        {
            using var stream = File.OpenRead(path);
            value = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new InvalidDataException($"'{path}' is not a trainer checkpoint: {e.Message}", e);
        }

        try
        {
            LoadInto(value, path);
        }
        finally
        {
            DisposeTensors(value);
        }
    }

    private void LoadInto(Hashtable value, string path)
    {
        if (!value.ContainsKey("format") || Convert.ToInt64(value["format"], System.Globalization.CultureInfo.InvariantCulture) != CheckpointFormat)
        {
            throw new InvalidDataException($"'{path}' is not a trainer checkpoint of format {CheckpointFormat}.");
        }

        try
        {
            Model.load_state_dict(Tensors(value["model"]), strict: true);
            LoadOptimizerState(_optimizer, Table(value["optimizer"]));
            if (Discriminator is not null && _discriminatorOptimizer is not null)
            {
                Discriminator.load_state_dict(Tensors(value["discriminator"]), strict: true);
                LoadOptimizerState(_discriminatorOptimizer, Table(value["optimizer_discriminator"]));
                _discriminatorOptimizer.to(Device);
            }

            _optimizer.to(Device);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or ArgumentException or ExternalException or InvalidCastException or NullReferenceException)
        {
            throw new InvalidDataException($"'{path}' does not fit this configuration's networks: {e.Message}", e);
        }

        GlobalStep = Long(value["step"]);
        set_rng_state((Tensor)value["rng_state"]!);
        PriorSeconds = Convert.ToDouble(value["elapsed_s"], System.Globalization.CultureInfo.InvariantCulture);
        _history.Clear();
        foreach (var entry in (ArrayList)value["history"]!)
        {
            _history.Add(Table(entry).Cast<DictionaryEntry>().ToDictionary(
                p => (string)p.Key, p => Convert.ToDouble(p.Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal));
        }

        if (value["anti_collapse"] is ArrayList collapse)
        {
            (_collapsedEpochs, _collapseAdjustments) = ((int)Long(collapse[0]), (int)Long(collapse[1]));
        }

        _epochSums.Clear();
        foreach (DictionaryEntry entry in Table(value["epoch_sums"]))
        {
            var pair = (ArrayList)entry.Value!;
            _epochSums[(string)entry.Key] = (Convert.ToDouble(pair[0], System.Globalization.CultureInfo.InvariantCulture), (int)Long(pair[1]));
        }
    }

    /// <summary>Disposes every tensor in a structure read from or built for a checkpoint.</summary>
    private static void DisposeTensors(object? value)
    {
        switch (value)
        {
            case Tensor tensor:
                tensor.Dispose();
                break;
            case Hashtable table:
                foreach (DictionaryEntry entry in table)
                {
                    DisposeTensors(entry.Value);
                }

                break;
            case ArrayList list:
                foreach (var item in list)
                {
                    DisposeTensors(item);
                }

                break;
        }
    }

    private static Hashtable StateDict(nn.Module module)
    {
        var table = new Hashtable();
        foreach (var (name, tensor) in module.state_dict())
        {
            table[name] = tensor;
        }

        return table;
    }

    /// <summary>The optimizer's state dict in PyTorch's layout, as PyBridge writes it, held in memory.</summary>
    private static Hashtable OptimizerState(OptimizerHelper optimizer)
    {
        using var buffer = new MemoryStream();
        optimizer.save_py(buffer, leaveOpen: true);
        buffer.Position = 0;
        return PyTorchUnpickler.UnpickleStateDict(buffer);
    }

    private static void LoadOptimizerState(OptimizerHelper optimizer, Hashtable state)
    {
        using var buffer = new MemoryStream();
        PyTorchPickler.PickleStateDict(buffer, state, leaveOpen: true);
        buffer.Position = 0;
        optimizer.load_py(buffer);
    }

    private static Hashtable ToTable<T>(IReadOnlyDictionary<string, T> values)
    {
        var table = new Hashtable();
        foreach (var (key, item) in values)
        {
            table[key] = item;
        }

        return table;
    }

    private static long Long(object? value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);

    private static Hashtable Table(object? value) =>
        value as Hashtable ?? throw new InvalidDataException("A checkpoint entry that should be a dictionary is not one.");

    private static Dictionary<string, Tensor> Tensors(object? value) =>
        Table(value).Cast<DictionaryEntry>().ToDictionary(
            p => (string)p.Key,
            p => p.Value as Tensor ?? throw new InvalidDataException($"Checkpoint entry '{p.Key}' is not a tensor."),
            StringComparer.Ordinal);
}
