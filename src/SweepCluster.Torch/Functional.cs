using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch;

/// <summary>Neural-network functions (PyTorch's <c>torch.nn.functional</c>), differentiable.</summary>
public static class Functional
{
    public static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        long* s = stackalloc long[] { stride, stride };
        long* p = stackalloc long[] { padding, padding };
        long* d = stackalloc long[] { dilation, dilation };
        return Tensor.Wrap(NativeMethods.st_conv2d(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null, s, p, d, groups, out var r), r);
    }

    public static unsafe Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        long* s = stackalloc long[] { stride, stride };
        long* p = stackalloc long[] { padding, padding };
        long* o = stackalloc long[] { outputPadding, outputPadding };
        long* d = stackalloc long[] { dilation, dilation };
        return Tensor.Wrap(NativeMethods.st_conv_transpose2d(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null, s, p, o, d, groups, out var r), r);
    }

    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false) =>
        Pool(0, input, kernelSize, stride ?? kernelSize, padding, ceilMode);

    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false) =>
        Pool(1, input, kernelSize, stride ?? kernelSize, padding, ceilMode);

    private static unsafe Tensor Pool(int kind, Tensor input, int kernel, int stride, int padding, bool ceilMode)
    {
        ArgumentNullException.ThrowIfNull(input);
        long* k = stackalloc long[] { kernel, kernel };
        long* s = stackalloc long[] { stride, stride };
        long* p = stackalloc long[] { padding, padding };
        return Tensor.Wrap(NativeMethods.st_pool2d(kind, input.Handle, k, s, p, ceilMode ? 1 : 0, out var r), r);
    }

    /// <summary>Resizes a (N, C, H, W) tensor to <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static unsafe Tensor Interpolate(Tensor input, long height, long width, InterpolationMode mode = InterpolationMode.Nearest, bool? alignCorners = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        long* size = stackalloc long[] { height, width };
        var align = alignCorners is null ? -1 : alignCorners.Value ? 1 : 0;
        return Tensor.Wrap(NativeMethods.st_interpolate(input.Handle, (int)mode, size, null, align, out var r), r);
    }

    /// <summary>Resizes a (N, C, H, W) tensor by a scale factor per spatial dimension.</summary>
    public static unsafe Tensor Interpolate(Tensor input, double scaleFactor, InterpolationMode mode = InterpolationMode.Nearest, bool? alignCorners = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        double* scale = stackalloc double[] { scaleFactor, scaleFactor };
        var align = alignCorners is null ? -1 : alignCorners.Value ? 1 : 0;
        return Tensor.Wrap(NativeMethods.st_interpolate(input.Handle, (int)mode, null, scale, align, out var r), r);
    }

    public static Tensor GroupNorm(Tensor input, int groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Tensor.Wrap(NativeMethods.st_group_norm(input.Handle, groups, weight?.Handle ?? TensorHandle.Null, bias?.Handle ?? TensorHandle.Null, eps, out var r), r);
    }

    /// <summary>Batch normalisation; in training mode the running statistics are updated in place.</summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Tensor.Wrap(
            NativeMethods.st_batch_norm(input.Handle, weight?.Handle ?? TensorHandle.Null, bias?.Handle ?? TensorHandle.Null, runningMean?.Handle ?? TensorHandle.Null, runningVar?.Handle ?? TensorHandle.Null, training ? 1 : 0, momentum, eps, out var r),
            r);
    }

    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return Tensor.Wrap(NativeMethods.st_linear(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null, out var r), r);
    }

    public static Tensor Relu(Tensor input) => Checked(input).Relu();

    public static Tensor Sigmoid(Tensor input) => Checked(input).Sigmoid();

    public static Tensor Tanh(Tensor input) => Checked(input).Tanh();

    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01) =>
        Tensor.Wrap(NativeMethods.st_leaky_relu(Checked(input).Handle, negativeSlope, out var r), r);

    /// <summary>Dropout with the global generator; identity when not <paramref name="training"/>.</summary>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true) =>
        Tensor.Wrap(NativeMethods.st_dropout(Checked(input).Handle, p, training ? 1 : 0, out var r), r);

    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Loss(0, input, target, reduction);

    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Loss(1, input, target, reduction);

    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Loss(2, input, target, reduction);

    private static Tensor Loss(int kind, Tensor input, Tensor target, Reduction reduction)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return Tensor.Wrap(NativeMethods.st_loss(kind, input.Handle, target.Handle, (int)reduction, out var r), r);
    }

    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> so their global norm is at most
    /// <paramref name="maxNorm"/>, as torch.nn.utils.clip_grad_norm_; returns the norm before clipping.
    /// </summary>
    public static unsafe double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm, double normType = 2.0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var pinned = new HandleArray(parameters);
        fixed (IntPtr* p = pinned.Pointers)
        {
            Status.ThrowIfFailed(NativeMethods.st_clip_grad_norm(p, pinned.Pointers.Length, maxNorm, normType, out var total));
            return total;
        }
    }

    private static Tensor Checked(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t;
    }
}
