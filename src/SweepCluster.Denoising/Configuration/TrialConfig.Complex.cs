namespace SweepCluster.Denoising.Configuration;

public sealed partial record TrialConfig
{
    /// <summary>
    /// The checks of the complex keys: <c>data.phase</c> and <c>model.complex</c>. A complex network reads two
    /// channels [real, imag], which NPY data give with <c>data.representation: real_imag</c> and phantoms with a phase
    /// map (<c>data.phase</c> &gt; 0) or <c>real_imag</c>; complex phantoms carry Gaussian noise on each part.
    /// </summary>
    private static void ComplexErrors(Action<string, string> fail, Func<string, string> text, Func<string, double> number, Func<string, bool> flag)
    {
        var npy = text("data.kind") == "npy";
        var phase = number("data.phase");
        if (phase < 0)
        {
            fail("data.phase", $"must not be negative, got {phase.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        }
        else if (npy && phase > 0)
        {
            fail("data.phase", "is a phantom option (data.kind synthetic); NPY complex64 data carry their own phase");
        }

        var realImag = text("data.representation") == "real_imag";
        var twoChannels = realImag || (!npy && phase > 0);
        if (twoChannels && !npy && text("data.noise.kind") == "rician")
        {
            fail("data.noise.kind", "rician cannot be used with complex phantoms (data.phase > 0 or data.representation real_imag): they add Gaussian noise to the real and imaginary parts, whose magnitude is the Rician noise; use gaussian");
        }

        if (!flag("model.complex"))
        {
            return;
        }

        if (!twoChannels)
        {
            fail("model.complex", npy
                ? "needs two channels [real, imag]: set data.representation to real_imag (complex64 NPY data)"
                : "needs two channels [real, imag]: give the phantoms a phase (data.phase > 0) or set data.representation to real_imag");
        }

        if (text("model.architecture") == "noise_aware")
        {
            fail("model.complex", "is not supported by the noise_aware architecture (its noise channels would be split into the complex latent's halves); use shared or separate");
        }
    }
}
