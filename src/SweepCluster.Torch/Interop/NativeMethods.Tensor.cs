using System.Runtime.InteropServices;

namespace SweepCluster.Torch.Interop;

internal static partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial void st_tensor_free(IntPtr tensor);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_tensor_from_data(void* data, int dtype, long* shape, int ndim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_tensor_copy_to(TensorHandle tensor, void* destination, long destinationBytes);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_tensor_full(long* shape, int ndim, double value, int dtype, int deviceType, int deviceIndex, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_tensor_random(long* shape, int ndim, int kind, GeneratorHandle generator, int dtype, int deviceType, int deviceIndex, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_arange(double start, double end, double step, int dtype, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial int st_tensor_ndim(TensorHandle tensor);

    [LibraryImport(Library)]
    internal static unsafe partial void st_tensor_shape(TensorHandle tensor, long* shape);

    [LibraryImport(Library)]
    internal static partial int st_tensor_dtype(TensorHandle tensor);

    [LibraryImport(Library)]
    internal static partial void st_tensor_device(TensorHandle tensor, out int deviceType, out int deviceIndex);

    [LibraryImport(Library)]
    internal static partial long st_tensor_numel(TensorHandle tensor);

    [LibraryImport(Library)]
    internal static partial int st_tensor_requires_grad(TensorHandle tensor);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_set_requires_grad(TensorHandle tensor, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial int st_tensor_is_leaf(TensorHandle tensor);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_item(TensorHandle tensor, out double value);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_tensor_reshape(TensorHandle tensor, long* shape, int ndim, int view, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_tensor_permute(TensorHandle tensor, long* dims, int ndim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_transpose(TensorHandle tensor, long dim0, long dim1, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_slice(TensorHandle tensor, long dim, long start, long end, long step, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_select(TensorHandle tensor, long dim, long index, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_squeeze(TensorHandle tensor, long dim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_unsqueeze(TensorHandle tensor, long dim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_tensor_expand(TensorHandle tensor, long* shape, int ndim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_tensor_flip(TensorHandle tensor, long* dims, int ndim, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_tensor_join(IntPtr* tensors, int count, long dim, int kind, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_tensor_pad(TensorHandle tensor, long* pad, int npad, int mode, double value, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_to(TensorHandle tensor, int deviceType, int deviceIndex, int dtype, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_unary(int op, TensorHandle a, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_binary(int op, TensorHandle a, TensorHandle b, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_scalar(int op, TensorHandle a, double s, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_reduce(int op, TensorHandle a, long* dims, int ndims, int keepdim, int unbiased, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_clamp(TensorHandle a, int hasMin, double min, int hasMax, double max, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_where(TensorHandle condition, TensorHandle a, TensorHandle b, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_copy_(TensorHandle destination, TensorHandle source);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_mul_(TensorHandle tensor, double s);
}
