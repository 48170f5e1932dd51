using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Models;
using SweepCluster.Denoising.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// The loss terms of the notes, every one against the NOISY images (Noise2Noise): the clean image enters only the
/// labelled supervised reference.
/// <list type="bullet">
/// <item>content: <c>loss(z_a, z_b)</c> on the (content) latents;</item>
/// <item>recon: <c>loss(x_a_recon, x_a) + loss(x_b_recon, x_b)</c> (the two contrasts summed, as the notes write it);</item>
/// <item>cross: <c>loss(x_a_from_b, x_a) + loss(x_b_from_a, x_b)</c>;</item>
/// <item>edge: the L1 distance between Sobel gradient magnitudes of each of the four outputs and its noisy target,
/// summed over the four;</item>
/// <item>adversarial (generator side): BCE-with-logits of the discriminator on both cross outputs against the
/// "same-domain" label 1, summed over the two.</item>
/// </list>
/// <c>loss</c> is L1 or MSE (<c>trainer.loss</c>), each a mean over elements. In supervised mode the recon term is
/// <c>loss(decoder_a(encoder(x_a)), clean_a) + loss(decoder_b(encoder(x_b)), clean_b)</c> and the total is that
/// term alone; the other terms are still computed so they can be watched. In supervised cross mode the recon term
/// is the same and the cross term is <c>loss(x_a_from_b, clean_a) + loss(x_b_from_a, clean_b)</c> (noisy B in, the
/// clean image of the other contrast out); the total is their unweighted sum, so the reference does not depend on
/// the C2C loss weights of the sweep it bounds.
/// <para>
/// With per-slice scales (<c>trainer.cross_loss_scale: median</c>, <paramref name="scaleA"/>/<paramref name="scaleB"/> of
/// <see cref="Compute"/>), the images and outputs are in the network's normalised units (each slice divided by its
/// scale s). Content and recon compare there; the cross term compares <c>s * output</c> with <c>s * target</c>, the
/// slice at its own scale, and so does the edge term for the two cross outputs, as the public implementation does.
/// </para>
/// <para>
/// Complex outputs (<see cref="C2COutputs.Complex"/>, <c>model.complex</c>; images as channel halves [real, imag]):
/// the recon and cross terms measure the complex difference d by its modulus, as an L1 of complex tensors does in
/// PyTorch: L1 is <c>mean |d| = mean sqrt(d_re^2 + d_im^2 + 1e-12)</c>, MSE <c>mean |d|^2</c>, each a mean over the
/// complex pixels (half the real elements). The epsilon keeps the gradient finite where d is exactly 0 and moves the
/// loss by at most 1e-6. The edge term compares the Sobel magnitudes of the magnitude images. The content term stays
/// a real loss on the real latent.
/// </para>
/// </summary>
public static class C2CLosses
{
    /// <summary>Keeps the gradient of the edge magnitude finite where both Sobel responses are zero.</summary>
    public const double EdgeEpsilon = 1e-6;

    /// <summary>Inside the square root of a complex modulus: keeps its gradient finite where the modulus is 0.</summary>
    public const double ModulusEpsilon = 1e-12;

    /// <summary>
    /// L1 or MSE, a mean over elements; for <paramref name="complex"/> images (channel halves [real, imag]) the mean
    /// modulus of the complex difference, or of its square.
    /// </summary>
    public static Tensor Pixel(Tensor estimate, Tensor target, LossKind kind, bool complex = false)
    {
        if (!complex)
        {
            return kind == LossKind.Mse ? F.mse_loss(estimate, target) : F.l1_loss(estimate, target);
        }

        var difference = estimate - target;
        return kind == LossKind.Mse
            ? ComplexTensors.SquaredModulus(difference).mean()
            : ComplexTensors.Modulus(difference, ModulusEpsilon).mean();
    }

    /// <summary>Sobel gradient magnitude per channel, <c>sqrt(gx^2 + gy^2 + eps)</c>, zero padding of 1.</summary>
    public static Tensor SobelMagnitude(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);

        // The first convolution of a process may be this one (a loss computed before any model is built): the engine's
        // CPU convolution settings must be in place before it, or oneDNN starts with the instruction set that fails here.
        TorchRuntime.EnsureConfigured();
        var shape = image.shape;
        float[] kernels = [-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, -2, -1, 0, 0, 0, 1, 2, 1];
        var weight = tensor(kernels, [2, 1, 3, 3], dtype: image.dtype, device: image.device);
        var flat = image.reshape(shape[0] * shape[1], 1, shape[2], shape[3]);
        var g = F.conv2d(flat, weight, padding: [1, 1]);
        return g.Squared().sum([1], keepdim: true).Plus(EdgeEpsilon).sqrt();
    }

    /// <summary>The L1 distance of the Sobel magnitudes; for <paramref name="complex"/> images, of their magnitude images.</summary>
    public static Tensor Edge(Tensor estimate, Tensor target, bool complex = false) =>
        complex
            ? F.l1_loss(SobelMagnitude(ComplexTensors.Modulus(estimate, ModulusEpsilon)), SobelMagnitude(ComplexTensors.Modulus(target, ModulusEpsilon)))
            : F.l1_loss(SobelMagnitude(estimate), SobelMagnitude(target));

    /// <summary>
    /// The terms and the weighted total. <paramref name="discriminatorLogits"/> maps an image to patch logits (null
    /// without a discriminator); <paramref name="cleanA"/>/<paramref name="cleanB"/> are used in supervised mode only.
    /// </summary>
    public static LossTerms Compute(
        C2COutputs outputs,
        Tensor noisyA,
        Tensor noisyB,
        LossWeights weights,
        TrainerConfig trainer,
        Func<Tensor, Tensor>? discriminatorLogits,
        Tensor? cleanA = null,
        Tensor? cleanB = null,
        Tensor? scaleA = null,
        Tensor? scaleB = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(trainer);
        var kind = trainer.Loss;
        var content = Pixel(outputs.EncodedA.Z, outputs.EncodedB.Z, kind);
        var supervisedCross = trainer.Mode == TrainerMode.SupervisedCross;
        var supervised = trainer.Mode == TrainerMode.Supervised || supervisedCross;
        if (supervised && (cleanA is null || cleanB is null))
        {
            throw new ArgumentException("The supervised references need the clean images.");
        }

        var c = outputs.Complex;
        var recon = supervised
            ? Pixel(outputs.XARecon, cleanA!, kind, c).Plus(Pixel(outputs.XBRecon, cleanB!, kind, c))
            : Pixel(outputs.XARecon, noisyA, kind, c).Plus(Pixel(outputs.XBRecon, noisyB, kind, c));
        static Tensor Scaled(Tensor image, Tensor? scale) => scale is null ? image : image * scale;
        var (crossA, crossB) = (Scaled(outputs.XAFromB, scaleA), Scaled(outputs.XBFromA, scaleB));
        var (targetA, targetB) = (Scaled(noisyA, scaleA), Scaled(noisyB, scaleB));
        var cross = supervisedCross
            ? Pixel(crossA, Scaled(cleanA!, scaleA), kind, c).Plus(Pixel(crossB, Scaled(cleanB!, scaleB), kind, c))
            : Pixel(crossA, targetA, kind, c).Plus(Pixel(crossB, targetB, kind, c));
        var edge = Edge(outputs.XARecon, noisyA, c).Plus(Edge(outputs.XBRecon, noisyB, c)).Plus(Edge(crossA, targetA, c)).Plus(Edge(crossB, targetB, c));
        Tensor? adversarial = null;
        if (discriminatorLogits is not null)
        {
            adversarial = RealLoss(discriminatorLogits(outputs.XAFromB)).Plus(RealLoss(discriminatorLogits(outputs.XBFromA)));
        }

        Tensor total;
        if (supervisedCross)
        {
            total = recon.Plus(cross);
        }
        else if (supervised)
        {
            total = recon.Times(1.0);
        }
        else
        {
            total = content.Times(weights.Content).Plus(recon.Times(weights.Recon)).Plus(cross.Times(weights.Cross)).Plus(edge.Times(weights.Edge));
            if (adversarial is not null)
            {
                total = total.Plus(adversarial.Times(weights.Adversarial));
            }
        }

        return new LossTerms(content, recon, cross, edge, adversarial, total);
    }

    /// <summary>
    /// The discriminator's own loss on detached images: same-domain reconstructions labelled 1, cross-domain outputs
    /// labelled 0, the mean of the four BCE terms.
    /// </summary>
    public static Tensor DiscriminatorLoss(Func<Tensor, Tensor> logits, C2COutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(outputs);
        var real = RealLoss(logits(outputs.XARecon.detach())).Plus(RealLoss(logits(outputs.XBRecon.detach())));
        var fake = FakeLoss(logits(outputs.XAFromB.detach())).Plus(FakeLoss(logits(outputs.XBFromA.detach())));
        return real.Plus(fake).Times(0.25);
    }

    private static Tensor RealLoss(Tensor logits) =>
        F.binary_cross_entropy_with_logits(logits, ones_like(logits));

    private static Tensor FakeLoss(Tensor logits) =>
        F.binary_cross_entropy_with_logits(logits, zeros_like(logits));
}
