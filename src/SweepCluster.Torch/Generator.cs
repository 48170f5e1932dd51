using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch;

/// <summary>A seeded CPU random generator, independent of the global one.</summary>
public sealed class Generator : IDisposable
{
    public Generator(ulong seed)
    {
        Status.ThrowIfFailed(NativeMethods.st_generator_new(seed, out var handle));
        Handle = handle;
    }

    internal GeneratorHandle Handle { get; }

    /// <summary>The generator's full state, as a uint8 tensor (saved in checkpoints).</summary>
    public Tensor GetState()
    {
        Status.ThrowIfFailed(NativeMethods.st_generator_get_state(Handle, out var state));
        return new Tensor(state);
    }

    public void SetState(Tensor state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Status.ThrowIfFailed(NativeMethods.st_generator_set_state(Handle, state.Handle));
    }

    public void Dispose() => Handle.Dispose();
}
