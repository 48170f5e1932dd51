using System.Runtime.InteropServices;

namespace SweepCluster.Torch.Interop;

internal static partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_conv2d(TensorHandle x, TensorHandle w, TensorHandle b, long* stride, long* padding, long* dilation, long groups, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_conv_transpose2d(TensorHandle x, TensorHandle w, TensorHandle b, long* stride, long* padding, long* outputPadding, long* dilation, long groups, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_pool2d(int kind, TensorHandle x, long* kernel, long* stride, long* padding, int ceilMode, out TensorHandle result);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_interpolate(TensorHandle x, int mode, long* size, double* scale, int alignCorners, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_group_norm(TensorHandle x, long groups, TensorHandle w, TensorHandle b, double eps, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_batch_norm(TensorHandle x, TensorHandle w, TensorHandle b, TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_linear(TensorHandle x, TensorHandle w, TensorHandle b, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_leaky_relu(TensorHandle x, double slope, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_dropout(TensorHandle x, double p, int training, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_loss(int kind, TensorHandle input, TensorHandle target, int reduction, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_backward(TensorHandle tensor, TensorHandle grad, int retainGraph);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_grad(TensorHandle tensor, out TensorHandle result);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_zero_grad(TensorHandle tensor, int setToNone);

    [LibraryImport(Library)]
    internal static partial IntPtr st_tensor_set_grad(TensorHandle tensor, TensorHandle grad);

    [LibraryImport(Library)]
    internal static partial IntPtr st_init(TensorHandle tensor, int kind, double a, double b, GeneratorHandle generator);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_clip_grad_norm(IntPtr* parameters, int count, double maxNorm, double normType, out double totalNorm);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_optimizer_new(int kind, IntPtr* parameters, int count, double lr, double a, double b, double eps, double weightDecay, int flag, out OptimizerHandle result);

    [LibraryImport(Library)]
    internal static partial void st_optimizer_free(IntPtr optimizer);

    [LibraryImport(Library)]
    internal static partial IntPtr st_optimizer_step(OptimizerHandle optimizer);

    [LibraryImport(Library)]
    internal static partial IntPtr st_optimizer_zero_grad(OptimizerHandle optimizer, int setToNone);

    [LibraryImport(Library)]
    internal static partial IntPtr st_optimizer_set_lr(OptimizerHandle optimizer, double lr);

    [LibraryImport(Library)]
    internal static partial double st_optimizer_get_lr(OptimizerHandle optimizer);

    [LibraryImport(Library)]
    internal static partial IntPtr st_optimizer_get_state(OptimizerHandle optimizer, int index, out long step, out TensorHandle s1, out TensorHandle s2);

    [LibraryImport(Library)]
    internal static partial IntPtr st_optimizer_set_state(OptimizerHandle optimizer, int index, long step, TensorHandle s1, TensorHandle s2);
}
