namespace SweepCluster.Denoising.Configuration;

/// <summary>How the decoders start when <c>model.identity</c> is on (<c>model.identity_init</c>).</summary>
public enum IdentityInit
{
    /// <summary>The layers' usual random initialisation.</summary>
    Default,

    /// <summary>
    /// Every decoder parameter zero (GroupNorm scale and shift included), as the public implementation does, so the
    /// network starts as the identity. With every GroupNorm scale at 0 no decoder weight but the output bias
    /// receives a gradient, so the decoders stay constant: reproduced, not fixed.
    /// </summary>
    ZeroDecoder,
}
