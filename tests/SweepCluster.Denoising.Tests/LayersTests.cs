using SweepCluster.Denoising.Models;
using SweepCluster.Denoising.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests;

/// <summary>
/// Every module type the models build starts from PyTorch's defaults: GroupNorm's affine parameters exactly ones and
/// zeros (TorchSharp 0.107 leaves them uninitialised), convolution weights and biases uniform within PyTorch's
/// kaiming-uniform bound 1/sqrt(fan_in) (a = sqrt(5)), with fan_in = in_channels * k * k for Conv2d and
/// out_channels * k * k for ConvTranspose2d (its weight is [in, out, k, k]).
/// </summary>
[Trait("Category", "Unit")]
public sealed class LayersTests
{
    [Fact]
    public void GroupNorm_starts_at_ones_and_zeros_every_time()
    {
        for (var i = 0; i < 20; i++)
        {
            using var norm = Layers.GroupNorm(1, 64);
            Assert.True(norm.weight!.eq(1.0).all().item<bool>(), "GroupNorm weight is not all ones");
            Assert.True(norm.bias!.eq(0.0).all().item<bool>(), "GroupNorm bias is not all zeros");
        }
    }

    [Fact]
    public void Every_module_of_every_architecture_starts_from_pytorchs_defaults()
    {
        foreach (var architecture in new[] { "shared", "separate", "noise_aware" })
        {
            var config = TinyConfig.Create(("model.architecture", architecture), ("model.encoder.features", new System.Text.Json.Nodes.JsonArray(16, 32)), ("model.decoder_a.features", new System.Text.Json.Nodes.JsonArray(32, 16)), ("model.decoder_b.features", new System.Text.Json.Nodes.JsonArray(32, 16)));
            using var model = new C2CModel(config.Model, config.Trainer, 1);
            var checkedModules = 0;
            foreach (var (name, module) in model.named_modules())
            {
                switch (module)
                {
                    case GroupNorm norm:
                        Assert.True(norm.weight!.eq(1.0).all().item<bool>(), $"{architecture} {name}.weight");
                        Assert.True(norm.bias!.eq(0.0).all().item<bool>(), $"{architecture} {name}.bias");
                        checkedModules++;
                        break;
                    case Conv2d conv:
                        AssertUniformWithin(conv.weight!, FanIn(conv.weight!), $"{architecture} {name}.weight");
                        if (conv.bias is { } convBias)
                        {
                            AssertUniformWithin(convBias, FanIn(conv.weight!), $"{architecture} {name}.bias");
                        }

                        checkedModules++;
                        break;
                    case ConvTranspose2d up:
                        AssertUniformWithin(up.weight!, FanIn(up.weight!), $"{architecture} {name}.weight");
                        AssertUniformWithin(up.bias!, FanIn(up.weight!), $"{architecture} {name}.bias");
                        checkedModules++;
                        break;
                }
            }

            Assert.True(checkedModules >= 10, $"{architecture}: only {checkedModules} modules checked");
        }
    }

    [Fact]
    public void Every_part_of_every_complex_layer_starts_like_the_real_layer_of_its_shape()
    {
        // PyTorch's complex64 layers draw the real and the imaginary part independently, each with the real bound.
        foreach (var architecture in new[] { "shared", "separate" })
        {
            var config = TinyConfig.Create(
                ("model.complex", true), ("data.phase", 0.5), ("model.architecture", architecture),
                ("model.encoder.features", new System.Text.Json.Nodes.JsonArray(16, 32)),
                ("model.decoder_a.features", new System.Text.Json.Nodes.JsonArray(32, 16)),
                ("model.decoder_b.features", new System.Text.Json.Nodes.JsonArray(32, 16)));
            using var model = new C2CModel(config.Model, config.Trainer, 2);
            var checkedModules = 0;
            foreach (var (name, module) in model.named_modules())
            {
                Assert.False(module is Conv2d or ConvTranspose2d or GroupNorm, $"{architecture} {name} is a real {module.GetType().Name} in the complex network");
                var parameters = module.named_parameters(recurse: false).ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
                switch (module)
                {
                    case ComplexConv2d or ComplexConvTranspose2d:
                        var fanIn = FanIn(parameters["weight_real"]);
                        foreach (var (part, values) in parameters)
                        {
                            AssertUniformWithin(values, fanIn, $"{architecture} {name}.{part}");
                        }

                        Assert.False(parameters["weight_real"].eq(parameters["weight_imag"]).all().item<bool>(), $"{architecture} {name}: the parts are not drawn independently");
                        checkedModules++;
                        break;
                    case ComplexGroupNorm:
                        Assert.True(parameters["weight"].eq(1.0).all().item<bool>(), $"{architecture} {name}.weight");
                        Assert.True(parameters["bias"].eq(0.0).all().item<bool>(), $"{architecture} {name}.bias");
                        checkedModules++;
                        break;
                }
            }

            Assert.True(checkedModules >= 10, $"{architecture}: only {checkedModules} modules checked");
        }
    }

    /// <summary>PyTorch's fan_in: weight.size(1) times the kernel area, for both convolution kinds.</summary>
    private static long FanIn(Tensor weight)
    {
        var shape = weight.shape;
        return shape[1] * shape[2] * shape[3];
    }

    private static void AssertUniformWithin(Tensor values, long fanIn, string what)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        var data = values.detach().cpu().data<float>().ToArray();
        Assert.All(data, v => Assert.True(float.IsFinite(v) && Math.Abs(v) <= bound * (1 + 1e-6), $"{what}: {v} outside +-{bound}"));
        if (data.Length >= 64)
        {
            // A uniform draw of this many values reaches most of its range, and is not a constant.
            Assert.True(data.Max(Math.Abs) > 0.8 * bound, $"{what}: largest |value| {data.Max(Math.Abs)} of bound {bound}");
            Assert.True(data.Distinct().Count() > data.Length / 2, $"{what}: values are not spread");
        }
    }
}
