using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch.Tests;

[Trait("Category", "Unit")]
public sealed class RuntimeTests
{
    [Fact]
    public void Libtorch_errors_arrive_as_typed_exceptions_with_libtorchs_message()
    {
        using var scope = Torch.NewDisposeScope();
        var input = Tensor.Zeros([1, 3, 8, 8]);
        var weight = Tensor.Zeros([4, 2, 3, 3]);
        var error = Assert.Throws<TorchException>(() => Functional.Conv2d(input, weight));
        // libtorch's own wording for a channel mismatch.
        Assert.Contains("expected input[1, 3, 8, 8] to have 2 channels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_are_refused_by_the_shim_not_crashed()
    {
        using var scope = Torch.NewDisposeScope();
        Assert.Throws<TorchException>(() => Tensor.Zeros([2, 3]).Reshape(4, 4));
        Assert.Throws<TorchException>(() => Torch.Threads = 0);
        Assert.Throws<TorchException>(() => Torch.GetCudaDevice(0));
        Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], 2, 3));
    }

    [Fact]
    public void A_cpu_build_reports_no_cuda_devices()
    {
        if (Torch.CudaIsAvailable)
        {
            Assert.True(Torch.CudaDeviceCount > 0);
            return;
        }

        Assert.Equal(0, Torch.CudaDeviceCount);
        Assert.Empty(Torch.CudaDevices());
    }

    [GpuFact]
    public void Cuda_devices_have_names_and_memory()
    {
        var devices = Torch.CudaDevices();
        Assert.NotEmpty(devices);
        Assert.All(devices, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Name));
            Assert.True(d.TotalMemory > 0);
        });
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.Randn([4, 4], new Generator(1));
        var onGpu = x.To(Device.Cuda());
        Assert.Equal(Device.Cuda(), onGpu.Device);
        TensorAssert.Close(x, (onGpu * 2.0).To(Device.Cpu) / 2.0, 1e-6, 1e-6, "round trip through the GPU");
    }

    [Fact]
    public void Thread_count_and_version_are_reported()
    {
        var before = Torch.Threads;
        Torch.Threads = 1;
        Assert.Equal(1, Torch.Threads);
        Torch.Threads = before;
        Assert.StartsWith("1.", Torch.LibtorchVersion, StringComparison.Ordinal);
        Assert.Equal(NativeMethods.AbiVersion, Torch.AbiVersion);
    }

    [Fact]
    public void Seeded_generators_repeat_and_global_rng_state_round_trips()
    {
        using var scope = Torch.NewDisposeScope();
        TensorAssert.Close(Tensor.Randn([5], new Generator(42)), Tensor.Randn([5], new Generator(42)), 0, 0, "same seed");
        Torch.ManualSeed(3);
        var state = Torch.GetRngState();
        var first = Tensor.Rand([4]);
        Torch.SetRngState(state);
        TensorAssert.Close(first, Tensor.Rand([4]), 0, 0, "restored global state");
        using var generator = new Generator(8);
        var saved = generator.GetState();
        var a = Tensor.Randn([3], generator);
        generator.SetState(saved);
        TensorAssert.Close(a, Tensor.Randn([3], generator), 0, 0, "restored generator state");
    }

    [Fact]
    public void No_grad_scope_stops_recording_and_restores()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.Ones([2]).RequiresGradient();
        using (Torch.NoGrad())
        {
            Assert.False(Torch.IsGradEnabled);
            Assert.False((x * 2.0).RequiresGrad);
        }

        Assert.True(Torch.IsGradEnabled);
        var y = (x * 3.0).Sum();
        y.Backward();
        Assert.Equal([3f, 3f], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Loader_candidates_include_the_explicit_path_and_the_repository_build()
    {
        var previous = Environment.GetEnvironmentVariable(NativeLibraryLoader.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(NativeLibraryLoader.PathVariable, "/opt/custom/libsweeptorch.so");
            var paths = NativeLibraryLoader.CandidatePaths();
            Assert.Equal("/opt/custom/libsweeptorch.so", paths[0]);
            Assert.Contains(paths, p => p.EndsWith(Path.Combine("build", "native", "libsweeptorch.so"), StringComparison.Ordinal));
            Assert.Contains("./build.sh native", NativeLibraryLoader.BuildHint, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeLibraryLoader.PathVariable, previous);
        }
    }
}
