using System.Runtime.InteropServices;

namespace SweepCluster.Torch.Interop;

internal static partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial void st_ivalue_free(IntPtr value);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_none(out ValueHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_from_tensor(TensorHandle tensor, out ValueHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_from_double(double value, out ValueHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_from_int(long value, out ValueHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_from_bool(int value, out ValueHandle result);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr st_ivalue_from_string(string value, out ValueHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_ivalue_sequence(int kind, IntPtr* items, int count, out ValueHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_ivalue_dict(IntPtr* keys, IntPtr* values, int count, out ValueHandle result);

    [LibraryImport(Library)]
    internal static partial int st_ivalue_kind(ValueHandle value);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_to_tensor(ValueHandle value, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_to_double(ValueHandle value, out double result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_to_int(ValueHandle value, out long result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_ivalue_to_string(ValueHandle value, byte* buffer, int capacity, out int length);

    [LibraryImport(Library)]
    internal static partial int st_ivalue_count(ValueHandle value);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_item(ValueHandle value, int index, out ValueHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_dict_key(ValueHandle value, int index, out ValueHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_ivalue_dict_value(ValueHandle value, int index, out ValueHandle result);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr st_ivalue_save(ValueHandle value, string path);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr st_ivalue_load(string path, out ValueHandle result);
}
