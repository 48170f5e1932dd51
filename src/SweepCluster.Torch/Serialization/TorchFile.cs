using System.Runtime.InteropServices;
using System.Text;
using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch.Serialization;

/// <summary>
/// Reads and writes the zip format of PyTorch's <c>torch.save</c>, so state files move both ways
/// between this library and PyTorch. A value tree may hold: null, <see cref="Tensor"/>, bool,
/// int/long, float/double, string, <see cref="TorchTuple"/>, lists, and dictionaries keyed by
/// string or by long. Loading returns the same kinds (integers as long, lists as
/// <c>List&lt;object?&gt;</c>, dictionaries as <c>Dictionary&lt;string|long, object?&gt;</c>).
/// Writes go to a temporary file that is then renamed, so a crash never leaves a torn file.
/// </summary>
public static class TorchFile
{
    /// <summary>Keys the native reader adds when it rebuilds a Python OrderedDict (see pickle_normalize.h); dropped here.</summary>
    private const string DiscardKeyPrefix = "\u0001sweeptorch.discard.";

    public static void Save(string path, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var handle = ToValue(value, "$");
        Status.ThrowIfFailed(NativeMethods.st_ivalue_save(handle, path));
    }

    public static object? Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no state file at '{path}'", path);
        }

        Status.ThrowIfFailed(NativeMethods.st_ivalue_load(path, out var handle));
        using (handle)
        {
            return FromValue(handle);
        }
    }

    /// <summary>Writes a name-to-tensor dictionary (a module's state dict).</summary>
    public static void SaveStateDict(string path, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Save(path, state.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal));
    }

    /// <summary>Reads a name-to-tensor dictionary, as written by torch.save(model.state_dict()).</summary>
    public static IReadOnlyDictionary<string, Tensor> LoadStateDict(string path)
    {
        var value = Load(path);
        if (value is not Dictionary<string, object?> dict)
        {
            throw new InvalidDataException($"'{path}' does not hold a state dict (a dictionary of name to tensor)");
        }

        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, item) in dict)
        {
            state[name] = item as Tensor ?? throw new InvalidDataException($"'{path}': entry '{name}' is not a tensor");
        }

        return state;
    }

    private static ValueHandle ToValue(object? value, string path)
    {
        ValueHandle result;
        switch (value)
        {
            case null:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_none(out result));
                return result;
            case Tensor t:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_from_tensor(t.Handle, out result));
                return result;
            case bool b:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_from_bool(b ? 1 : 0, out result));
                return result;
            case int i:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_from_int(i, out result));
                return result;
            case long l:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_from_int(l, out result));
                return result;
            case float f:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_from_double(f, out result));
                return result;
            case double d:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_from_double(d, out result));
                return result;
            case string s:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_from_string(s, out result));
                return result;
            case TorchTuple tuple:
                return Sequence(7 /* ST_IV_TUPLE */, tuple.Items, path);
            case IDictionary<string, object?> dict:
                return Dictionary(dict.Select(p => (ToKey(p.Key), p.Value, p.Key)).ToList(), path);
            case IDictionary<long, object?> dict:
                return Dictionary(dict.Select(p => (ToKey(p.Key), p.Value, p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList(), path);
            case System.Collections.IEnumerable items:
                return Sequence(6 /* ST_IV_LIST */, items.Cast<object?>().ToList(), path);
            default:
                throw new ArgumentException($"{path}: a {value.GetType().Name} cannot be written to a torch file");
        }
    }

    private static ValueHandle ToKey(string key)
    {
        Status.ThrowIfFailed(NativeMethods.st_ivalue_from_string(key, out var result));
        return result;
    }

    private static ValueHandle ToKey(long key)
    {
        Status.ThrowIfFailed(NativeMethods.st_ivalue_from_int(key, out var result));
        return result;
    }

    private static unsafe ValueHandle Sequence(int kind, IReadOnlyList<object?> items, string path)
    {
        var handles = new List<ValueHandle>(items.Count);
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                handles.Add(ToValue(items[i], $"{path}[{i}]"));
            }

            var pointers = handles.Select(h => h.DangerousGetHandle()).ToArray();
            fixed (IntPtr* p = pointers)
            {
                Status.ThrowIfFailed(NativeMethods.st_ivalue_sequence(kind, p, pointers.Length, out var result));
                GC.KeepAlive(handles);
                return result;
            }
        }
        finally
        {
            handles.ForEach(h => h.Dispose());
        }
    }

    private static unsafe ValueHandle Dictionary(List<(ValueHandle Key, object? Value, string Name)> entries, string path)
    {
        var values = new List<ValueHandle>(entries.Count);
        try
        {
            foreach (var entry in entries)
            {
                values.Add(ToValue(entry.Value, $"{path}.{entry.Name}"));
            }

            var keys = entries.Select(e => e.Key.DangerousGetHandle()).ToArray();
            var items = values.Select(v => v.DangerousGetHandle()).ToArray();
            fixed (IntPtr* k = keys)
            fixed (IntPtr* v = items)
            {
                Status.ThrowIfFailed(NativeMethods.st_ivalue_dict(k, v, keys.Length, out var result));
                GC.KeepAlive(values);
                GC.KeepAlive(entries);
                return result;
            }
        }
        finally
        {
            values.ForEach(h => h.Dispose());
            entries.ForEach(e => e.Key.Dispose());
        }
    }

    private static unsafe object? FromValue(ValueHandle value)
    {
        var kind = NativeMethods.st_ivalue_kind(value);
        switch (kind)
        {
            case 0:
                return null;
            case 1:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_to_tensor(value, out var tensor));
                return new Tensor(tensor);
            case 2:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_to_double(value, out var d));
                return d;
            case 3:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_to_int(value, out var l));
                return l;
            case 4:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_to_int(value, out var b));
                return b != 0;
            case 5:
                Status.ThrowIfFailed(NativeMethods.st_ivalue_to_string(value, null, 0, out var length));
                var buffer = new byte[length + 1];
                fixed (byte* p = buffer)
                {
                    Status.ThrowIfFailed(NativeMethods.st_ivalue_to_string(value, p, buffer.Length, out _));
                }

                return Encoding.UTF8.GetString(buffer, 0, length);
            case 6:
            case 7:
                var items = new List<object?>();
                var count = NativeMethods.st_ivalue_count(value);
                for (var i = 0; i < count; i++)
                {
                    Status.ThrowIfFailed(NativeMethods.st_ivalue_item(value, i, out var item));
                    using (item)
                    {
                        items.Add(FromValue(item));
                    }
                }

                return kind == 7 ? new TorchTuple(items) : items;
            case 8:
                return DictionaryFromValue(value);
            default:
                throw new InvalidDataException("the file holds a value kind this reader does not support");
        }
    }

    private static object DictionaryFromValue(ValueHandle value)
    {
        var count = NativeMethods.st_ivalue_count(value);
        Dictionary<string, object?>? byName = null;
        Dictionary<long, object?>? byNumber = null;
        for (var i = 0; i < count; i++)
        {
            Status.ThrowIfFailed(NativeMethods.st_ivalue_dict_key(value, i, out var keyHandle));
            Status.ThrowIfFailed(NativeMethods.st_ivalue_dict_value(value, i, out var itemHandle));
            using (keyHandle)
            using (itemHandle)
            {
                var key = FromValue(keyHandle);
                var item = FromValue(itemHandle);
                switch (key)
                {
                    case string s when s.StartsWith(DiscardKeyPrefix, StringComparison.Ordinal):
                        break;
                    case string s:
                        (byName ??= new(StringComparer.Ordinal))[s] = item;
                        break;
                    case long n:
                        (byNumber ??= [])[n] = item;
                        break;
                    default:
                        throw new InvalidDataException("dictionary keys must be strings or integers");
                }
            }
        }

        if (byName is not null && byNumber is not null)
        {
            throw new InvalidDataException("a dictionary mixes string and integer keys");
        }

        return (object?)byNumber ?? byName ?? new Dictionary<string, object?>(StringComparer.Ordinal);
    }
}
