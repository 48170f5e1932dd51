namespace SweepCluster.Denoising.Configuration;

/// <summary>The width of the zeros a concat block uses in place of a missing skip (<c>model.missing_skip_width</c>).</summary>
public enum MissingSkipWidth
{
    /// <summary>The encoder skip's own width, so the block's convolution reads the same channels with or without a skip.</summary>
    Skip,

    /// <summary>
    /// Half the block's input channels, the width of the upsampled tensor (the public implementation's
    /// <c>zeros_like(upsampled)</c>); the block's convolution then reads the block's input width.
    /// </summary>
    HalfInput,
}
