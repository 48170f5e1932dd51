using System.Diagnostics;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Runtime;
using SweepCluster.Denoising.Tests.Support;
using SweepCluster.Denoising.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Integration")]
public sealed class TorchRuntimeTests
{
    [Fact]
    public void TorchSharp_loads_in_the_build_layout_and_reports_libtorch_2_10()
    {
        Assert.StartsWith("2.10", TorchRuntime.LibtorchVersion, StringComparison.Ordinal);
        Assert.StartsWith("0.107", TorchRuntime.TorchSharpVersion, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so")));
    }

    [Fact]
    public void The_compatibility_note_is_there_exactly_when_the_system_libstdcxx_lacks_glibcxx_3_4_32()
    {
        // The same question the build asked, answered here independently from the loader's own cache.
        var output = Run("/bin/sh", "-c", "ldconfig -p 2>/dev/null || /sbin/ldconfig -p");
        var path = output.Split('\n').Where(l => l.TrimStart().StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && l.Contains("x86-64", StringComparison.Ordinal))
            .Select(l => l[(l.LastIndexOf("=> ", StringComparison.Ordinal) + 3)..].Trim()).First();
        var needsFix = !File.ReadAllText(path).Contains("GLIBCXX_3.4.32", StringComparison.Ordinal);
        var note = TorchRuntime.CompatibilityNote();
        Assert.Equal(needsFix, note is not null);
        if (note is not null)
        {
            Assert.Contains("GLIBCXX_3.4.32", note, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Convolution_gradients_with_two_threads_match_float64_every_time()
    {
        // The failure this guards against was intermittent (8 in 200 with oneDNN's default code on the CI machine):
        // many repetitions, the trainer's two threads, and float64 (never run by oneDNN) as the reference.
        TorchRuntime.Configure(2);
        Assert.DoesNotContain("not configured", TorchRuntime.CpuConvolutions, StringComparison.Ordinal);
        for (var i = 0; i < 100; i++)
        {
            using var scope = NewDisposeScope();
            var conv = Models.Layers.Conv2d(4, 8, 3, padding: 1, bias: false);
            var x = randn(4, 4, 16, 16, requires_grad: true);
            conv.forward(x).square().mean().backward();
            var x64 = x.detach().to(torch.ScalarType.Float64).requires_grad_(true);
            nn.functional.conv2d(x64, conv.weight!.detach().to(torch.ScalarType.Float64), padding: [1, 1]).square().mean().backward();
            TensorAssert.Close(x64.grad!, x.grad!, 1e-4, 1e-7, $"input gradient, repetition {i}");
        }
    }

    [Fact]
    public void A_transposed_convolution_is_exact()
    {
        TorchRuntime.EnsureConfigured();

        // Each output pixel of a 3x3 all-ones kernel over 2 all-ones channels counts the kernel taps that overlap the
        // input: along a border row that is 2 * (1, 2, 3, 3, ..., 3, 2, 1). oneDNN's kernel got this row wrong here.
        using var scope = NewDisposeScope();
        var output = nn.functional.conv_transpose2d(ones(4, 2, 14, 14), ones(2, 8, 3, 3));
        var row = output[0, 0, 0].data<float>().ToArray();
        float[] expected = [2, 4, .. Enumerable.Repeat(6f, 12), 4, 2];
        Assert.Equal(expected, row);
    }

    [Fact]
    public void A_network_that_starts_from_nan_fails_its_first_step_naming_the_parameter()
    {
        var config = TinyConfig.Create();
        var (train, _) = PairedDatasets.Create(config.Data);
        using var trainer = new C2CTrainer(config, train, CPU);
        var (name, parameter) = trainer.Model.named_parameters().First(p => p.name.EndsWith("bottleneck.weight", StringComparison.Ordinal));
        using (no_grad())
        {
            parameter[0, 0, 0, 0] = float.NaN;
        }

        var error = Assert.Throws<NonFiniteStartException>(() => trainer.RunNextStep());
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains("loss.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_libtorch_cannot_run_fails_naming_the_keys_not_crashing()
    {
        // 18 px over three levels pools to 9 and 4, upsamples 4 to 8 and cannot concatenate the 9 px skip. The record
        // is built past validation on purpose: this is the last line of defence.
        var tiny = TinyConfig.Create();
        var config = tiny with
        {
            Data = tiny.Data with { ImageSize = 18 },
            Model = tiny.Model with
            {
                Encoder = tiny.Model.Encoder with { Features = [4, 8, 16] },
                DecoderA = tiny.Model.DecoderA with { Features = [16, 8, 4] },
                DecoderB = tiny.Model.DecoderB with { Features = [16, 8, 4] },
            },
        };
        using var temp = new TempDirectory();
        var error = await Assert.ThrowsAsync<TrialConfigException>(() => TrialRunner.RunAsync(config, temp.Path, null, new RecordingTrialEvents(), null, CancellationToken.None));
        Assert.Contains("data.image_size", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.encoder.features", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message.Trim(), StringComparison.Ordinal);
    }

    [GpuFact]
    public void Cuda_devices_are_listed_and_a_step_trains_on_the_first()
    {
        var devices = CudaDevices.List();
        Assert.NotEmpty(devices);
        var config = TinyConfig.Create(("device", "cuda"));
        var (train, _) = PairedDatasets.Create(config.Data);
        using var trainer = new C2CTrainer(config, train, TrialRunner.ResolveDevice(DeviceKind.Cuda));
        var metrics = trainer.RunNextStep().Metrics;
        Assert.All(metrics, m => Assert.True(double.IsFinite(m.Value), m.Key));
    }

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
