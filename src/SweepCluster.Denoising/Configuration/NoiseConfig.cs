namespace SweepCluster.Denoising.Configuration;

/// <summary>Noise added to the synthetic phantoms; sigmas are relative to a maximum clean intensity of 1.</summary>
public sealed record NoiseConfig(NoiseKind Kind, double SigmaA, double SigmaB);
