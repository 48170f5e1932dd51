using static TorchSharp.torch;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// The weighted training objective of one step and its unweighted terms (scalar tensors in the step's scope).
/// <paramref name="Adversarial"/> is null without a discriminator. <paramref name="Total"/> is what is
/// back-propagated.
/// </summary>
public sealed record LossTerms(Tensor Content, Tensor Recon, Tensor Cross, Tensor Edge, Tensor? Adversarial, Tensor Total);
