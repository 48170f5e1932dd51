namespace SweepCluster.Sweeps;

/// <summary>The machine-checkable part of a row's expectation.</summary>
public enum ExpectedVerdict
{
    /// <summary>The configuration should work (the cross loss falls, denoising improves).</summary>
    Pass,

    /// <summary>The configuration should fail.</summary>
    Fail,

    /// <summary>The configuration should work in part.</summary>
    Partial,
}
