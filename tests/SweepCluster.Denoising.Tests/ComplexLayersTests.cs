using System.Collections;
using System.Text.Json;
using SweepCluster.Denoising.Models;
using SweepCluster.Denoising.Tests.Support;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests;

/// <summary>
/// The complex layers, composed from real convolutions, against independent references (Reference/
/// complex_layers_reference.py): <see cref="ComplexConv2d"/> against PyTorch 1.13's own complex64 <c>nn.Conv2d</c>
/// and its complex autograd, <see cref="ComplexConvTranspose2d"/> against the definition of a transposed convolution
/// written out in complex128 NumPy (PyTorch has no complex transposed convolution on the CPU). Both compare the output
/// and the gradients of <c>L = Re(sum(out * conj(g)))</c> for a random g with respect to the input and every real
/// parameter part: ours are the gradients of the real and imaginary parts, PyTorch's complex gradient is
/// <c>dL/dRe + i dL/dIm</c>, so they compare part by part. Tolerances as in <see cref="ModelParityTests"/>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ComplexLayersTests
{
    private const double Rtol = 1e-4;
    private const double Atol = 1e-5;

    [Fact]
    public void ComplexConv2d_output_and_gradients_match_pytorchs_complex64_conv2d()
    {
        manual_seed(11);
        using var layer = new ComplexConv2d(3, 4, 3, stride: 1, padding: 1);
        Compare("conv", layer, [2, 3, 6, 6]);
    }

    [Fact]
    public void Strided_ComplexConv2d_without_bias_matches_pytorch()
    {
        manual_seed(13);
        using var layer = new ComplexConv2d(2, 3, 3, stride: 2, padding: 0, bias: false);
        Compare("conv", layer, [2, 2, 7, 7], stride: 2, padding: 0);
    }

    [Fact]
    public void ComplexConvTranspose2d_output_and_gradients_match_the_definition_in_float64()
    {
        manual_seed(12);
        using var layer = new ComplexConvTranspose2d(4, 3, 2, stride: 2);
        Compare("convt", layer, [2, 4, 3, 5], stride: 2);
    }

    private static void Compare(string kind, nn.Module<Tensor, Tensor> layer, long[] inputShape, long stride = 1, long padding = 1)
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        var parameters = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var xRe = randn(inputShape, requires_grad: true);
        var xIm = randn(inputShape, requires_grad: true);
        var y = layer.forward(complex(xRe, xIm));
        var gRe = randn(y.shape);
        var gIm = randn(y.shape);
        ((y.real * gRe) + (y.imag * gIm)).sum().backward();

        var inputs = new Hashtable
        {
            [kind + ".x_re"] = xRe.detach(),
            [kind + ".x_im"] = xIm.detach(),
            [kind + ".g_re"] = gRe,
            [kind + ".g_im"] = gIm,
            [kind + ".w_re"] = parameters["weight_real"].detach(),
            [kind + ".w_im"] = parameters["weight_imag"].detach(),
            [kind + ".b_re"] = parameters.TryGetValue("bias_real", out var bRe) ? bRe.detach() : zeros(parameters["weight_real"].shape[kind == "conv" ? 0 : 1]),
            [kind + ".b_im"] = parameters.TryGetValue("bias_imag", out var bIm) ? bIm.detach() : zeros(parameters["weight_real"].shape[kind == "conv" ? 0 : 1]),
        };
        PyTorchPickler.PickleStateDict(temp.File("inputs.pt"), inputs);
        File.WriteAllText(temp.File("params.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["conv"] = new Dictionary<string, long> { ["stride"] = stride, ["padding"] = padding },
            ["convt"] = new Dictionary<string, long> { ["stride"] = stride },
        }));
        PythonReference.RunScript(Path.Combine(AppContext.BaseDirectory, "Reference", "complex_layers_reference.py"), temp.Path);

        Hashtable expected;
        using (var stream = File.OpenRead(temp.File("outputs.pt")))
        {
            expected = PyTorchUnpickler.UnpickleStateDict(stream);
        }

        void Close(string name, Tensor actual) => TensorAssert.Close((Tensor)expected[$"{kind}.{name}"]!, actual, Rtol, Atol, $"{kind} {name}");
        Close("y_re", y.real);
        Close("y_im", y.imag);
        Close("dx_re", xRe.grad!);
        Close("dx_im", xIm.grad!);
        Close("dw_re", parameters["weight_real"].grad!);
        Close("dw_im", parameters["weight_imag"].grad!);
        if (parameters.TryGetValue("bias_real", out var biasReal))
        {
            Close("db_re", biasReal.grad!);
            Close("db_im", parameters["bias_imag"].grad!);
        }
    }
}
