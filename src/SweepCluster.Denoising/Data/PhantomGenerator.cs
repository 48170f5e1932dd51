using SweepCluster.Denoising.Configuration;

namespace SweepCluster.Denoising.Data;

/// <summary>
/// Synthetic paired-contrast knee phantoms: an axial-section-like anatomy of tissue classes drawn with smooth
/// (sub-pixel soft) edges, rendered once with proton-density-like intensities (contrast A) and once
/// fat-suppressed (contrast B, fluid relatively brighter), each normalised to a maximum of 1, then given its
/// own independent noise. A sample is a pure function of (<c>data.seed</c>, split, index): every random choice
/// comes from its own derived stream, so switching one option (contrast-specific structures, misregistration,
/// bias field, noise) leaves every other part of the sample unchanged.
/// <para>
/// Complex phantoms (<c>data.phase</c> &gt; 0 or <c>data.representation: real_imag</c>; <see cref="Channels"/> 2): both
/// clean images are multiplied by <c>exp(i phi)</c> with one smooth phase map phi in [-phase, phase] (a few
/// low-frequency plane waves, from its own stream of the data seed), the same for A and B as MRI phase (coil and
/// field) is largely shared between contrasts; the magnitudes are exactly the real phantoms. Each sample is then
/// [real, imag] channels, and Gaussian noise of the configured sigma is added to the real and to the imaginary part
/// independently (the real part draws exactly the noise of the real phantom, the imaginary part the next values of
/// the same stream). Rician noise, the magnitude of such complex noise, has no two-channel form and is refused.
/// </para>
/// </summary>
public sealed class PhantomGenerator
{
    // Relative intensities (A: PD-like, B: PDFS-like), indexed by Tissue.
    private static readonly double[] IntensityA = [0.0, 0.95, 0.42, 0.72, 0.58, 0.06, 0.86];
    private static readonly double[] IntensityB = [0.0, 0.10, 0.34, 0.95, 0.55, 0.05, 0.14];

    private const long AnatomyStream = 1;
    private const long BiasStream = 2;
    private const long SpecificStream = 3;
    private const long ShiftStream = 4;
    private const long NoiseAStream = 5;
    private const long NoiseBStream = 6;
    private const long PhaseStream = 7;

    /// <summary>
    /// The largest |f| of the phase map's plane waves <c>cos(pi (f_x x + f_y y) + c)</c> over coordinates in [-1, 1]:
    /// 1 is one period across the image, so the map changes by at most <c>phase * pi * f</c> per unit.
    /// </summary>
    public const double PhaseMaxFrequency = 1.0;

    private readonly DataConfig _data;

    public PhantomGenerator(DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(data.ImageSize, 8);
        ArgumentOutOfRangeException.ThrowIfNegative(data.Phase);
        _data = data;
        Channels = data.Phase > 0 || data.Representation == DataRepresentation.RealImag ? 2 : 1;
        if (Channels == 2 && data.Noise.Kind == NoiseKind.Rician)
        {
            throw new ArgumentException("Complex phantoms take Gaussian noise on each part; Rician noise is its magnitude and has no two-channel form.", nameof(data));
        }
    }

    public int Size => _data.ImageSize;

    /// <summary>1 for real phantoms; 2 ([real, imag]) for complex ones.</summary>
    public int Channels { get; }

    /// <summary>Sample <paramref name="index"/> of <paramref name="split"/>, unaugmented; the two splits use different streams.</summary>
    public PairedSample Generate(DataSplit split, int index)
    {
        var n = _data.ImageSize;
        var splitKey = split == DataSplit.Train ? 0L : 1L;
        SplitMix64 Stream(long tag) => SplitMix64.Derive(_data.Seed, splitKey, index, tag);

        var tissue = new Tissue[n * n];
        var (cleanA, cleanB) = RenderAnatomy(Stream(AnatomyStream), n, tissue);

        if (_data.BiasField > 0)
        {
            var field = LowFrequencyField(Stream(BiasStream), n, terms: 4, maxFrequency: 0.6);
            for (var i = 0; i < field.Length; i++)
            {
                var gain = 1 + (_data.BiasField * field[i]);
                cleanA[i] *= gain;
                cleanB[i] *= gain;
            }
        }

        NormaliseToMax(cleanA);
        NormaliseToMax(cleanB);

        // Drawn after normalisation so they leave the rest of both images bit-identical.
        if (_data.ContrastSpecific)
        {
            AddContrastSpecific(Stream(SpecificStream), n, tissue, cleanA, cleanB);
        }

        if (_data.Misregistration > 0)
        {
            var shift = Stream(ShiftStream);
            var dx = shift.NextDouble(-_data.Misregistration, _data.Misregistration);
            var dy = shift.NextDouble(-_data.Misregistration, _data.Misregistration);
            cleanB = Shift(cleanB, n, dx, dy);
        }

        if (Channels == 2)
        {
            // The phase comes last, so the magnitudes are the real phantoms whatever else is switched on.
            var phase = LowFrequencyField(Stream(PhaseStream), n, terms: 3, maxFrequency: PhaseMaxFrequency);
            cleanA = WithPhase(cleanA, phase, _data.Phase);
            cleanB = WithPhase(cleanB, phase, _data.Phase);
        }

        var noisyA = AddNoise(cleanA, _data.Noise.Kind, _data.Noise.SigmaA, Stream(NoiseAStream));
        var noisyB = AddNoise(cleanB, _data.Noise.Kind, _data.Noise.SigmaB, Stream(NoiseBStream));
        var a = ToFloat(cleanA);
        var b = ToFloat(cleanB);
        return new PairedSample(Channels, n, n, noisyA, noisyB)
        {
            CleanA = a,
            CleanB = b,
            NoiseA = Subtract(noisyA, a),
            NoiseB = Subtract(noisyB, b),
            Tissue = tissue,
        };
    }

    private static (double[] A, double[] B) RenderAnatomy(SplitMix64 rng, int n, Tissue[] tissue)
    {
        var pixel = 2.0 / n;
        var edge = 0.6 * pixel;
        var a = new double[n * n];
        var b = new double[n * n];
        var texture = LowFrequencyField(rng, n, terms: 6, maxFrequency: 2.5);

        void Paint(double[] membership, Tissue kind)
        {
            for (var i = 0; i < membership.Length; i++)
            {
                var m = membership[i];
                if (m <= 0)
                {
                    continue;
                }

                var shade = 1 + (0.05 * texture[i]);
                a[i] = (a[i] * (1 - m)) + (IntensityA[(int)kind] * shade * m);
                b[i] = (b[i] * (1 - m)) + (IntensityB[(int)kind] * shade * m);
                if (m >= 0.5)
                {
                    tissue[i] = kind;
                }
            }
        }

        // Skin outline with subcutaneous fat, muscle inside it.
        var body = new SmoothShape(rng.NextDouble(-0.08, 0.08), rng.NextDouble(-0.08, 0.08), rng.NextDouble(0.70, 0.88), rng.NextDouble(0.62, 0.82), rng.NextDouble(-0.4, 0.4), rng, 0.04);
        var fatThickness = rng.NextDouble(0.07, 0.13);
        Paint(body.Membership(n, edge, 0), Tissue.Fat);
        Paint(body.Membership(n, edge, -fatThickness), Tissue.Muscle);

        // One or two condyles: cartilage layer, cortex, fatty marrow.
        var condyles = 1 + rng.NextInt(2);
        var bones = new List<SmoothShape>();
        for (var k = 0; k < condyles; k++)
        {
            var offset = condyles == 1 ? 0 : (k == 0 ? -1 : 1) * rng.NextDouble(0.18, 0.24);
            bones.Add(new SmoothShape(body.CenterX + offset + rng.NextDouble(-0.05, 0.05), body.CenterY + rng.NextDouble(-0.08, 0.08), rng.NextDouble(0.16, 0.26) / Math.Sqrt(condyles), rng.NextDouble(0.16, 0.24), rng.NextDouble(-0.5, 0.5), rng, 0.03));
        }

        // Effusion: smooth blobs hugging the bone, painted before cartilage so the layer stays on top.
        var blobs = 1 + rng.NextInt(3);
        for (var k = 0; k < blobs; k++)
        {
            var bone = bones[rng.NextInt(bones.Count)];
            var angle = rng.NextDouble(0, 2 * Math.PI);
            var distance = bone.RadiusX + rng.NextDouble(0.02, 0.08);
            var blob = new SmoothShape(bone.CenterX + (distance * Math.Cos(angle)), bone.CenterY + (distance * Math.Sin(angle)), rng.NextDouble(0.05, 0.12), rng.NextDouble(0.04, 0.09), angle, rng, 0.12);
            Paint(Times(blob.Membership(n, edge, 0), body.Membership(n, edge, -fatThickness)), Tissue.Fluid);
        }

        var cartilage = rng.NextDouble(1.5, 2.5) * pixel;
        var cortex = rng.NextDouble(1.2, 2.2) * pixel;
        foreach (var bone in bones)
        {
            Paint(bone.Membership(n, edge, cartilage), Tissue.Cartilage);
            Paint(bone.Membership(n, edge, 0), Tissue.Cortex);
            Paint(bone.Membership(n, edge, -cortex), Tissue.Marrow);
        }

        return (a, b);
    }

    /// <summary>Small bright lesions only in B and thin dark lines only in A, inside the anatomy.</summary>
    private static void AddContrastSpecific(SplitMix64 rng, int n, Tissue[] tissue, double[] a, double[] b)
    {
        var pixel = 2.0 / n;
        var lesions = 1 + rng.NextInt(3);
        for (var k = 0; k < lesions; k++)
        {
            var (cx, cy) = PointInside(rng, n, tissue);
            var radius = rng.NextDouble(1.5, 3.0) * pixel;
            var disc = new SmoothShape(cx, cy, radius, radius, 0, null, 0).Membership(n, 0.6 * pixel, 0);
            Blend(b, disc, 0.92);
        }

        var lines = 1 + rng.NextInt(2);
        for (var k = 0; k < lines; k++)
        {
            var (cx, cy) = PointInside(rng, n, tissue);
            var angle = rng.NextDouble(0, Math.PI);
            var halfLength = rng.NextDouble(0.12, 0.25);
            var mask = new double[n * n];
            for (var y = 0; y < n; y++)
            {
                for (var x = 0; x < n; x++)
                {
                    var (u, v) = (Coordinate(x, n) - cx, Coordinate(y, n) - cy);
                    var along = (u * Math.Cos(angle)) + (v * Math.Sin(angle));
                    var across = (-u * Math.Sin(angle)) + (v * Math.Cos(angle));
                    var i = (y * n) + x;
                    if (Math.Abs(along) <= halfLength && tissue[i] != Tissue.Background)
                    {
                        // About one pixel wide with a soft profile.
                        mask[i] = Math.Exp(-0.5 * Math.Pow(across / (0.45 * pixel), 2));
                    }
                }
            }

            Blend(a, mask, 0.08);
        }
    }

    private static (double X, double Y) PointInside(SplitMix64 rng, int n, Tissue[] tissue)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var x = rng.NextInt(n);
            var y = rng.NextInt(n);
            if (tissue[(y * n) + x] is Tissue.Muscle or Tissue.Marrow)
            {
                return (Coordinate(x, n), Coordinate(y, n));
            }
        }

        return (0, 0);
    }

    private static void Blend(double[] image, double[] mask, double value)
    {
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = (image[i] * (1 - mask[i])) + (value * mask[i]);
        }
    }

    private static double[] Times(double[] left, double[] right)
    {
        for (var i = 0; i < left.Length; i++)
        {
            left[i] *= right[i];
        }

        return left;
    }

    /// <summary>Pixel centre in [-1, 1].</summary>
    private static double Coordinate(int index, int n) => (((index + 0.5) / n) * 2) - 1;

    /// <summary>A smooth random field in [-1, 1]: a few low-frequency plane waves (frequency in cycles per unit).</summary>
    private static double[] LowFrequencyField(SplitMix64 rng, int n, int terms, double maxFrequency)
    {
        var field = new double[n * n];
        var total = 0.0;
        for (var t = 0; t < terms; t++)
        {
            var amplitude = rng.NextDouble(0.3, 1.0);
            var fx = rng.NextDouble(-maxFrequency, maxFrequency);
            var fy = rng.NextDouble(-maxFrequency, maxFrequency);
            var phase = rng.NextDouble(0, 2 * Math.PI);
            total += amplitude;
            for (var y = 0; y < n; y++)
            {
                for (var x = 0; x < n; x++)
                {
                    field[(y * n) + x] += amplitude * Math.Cos((Math.PI * ((fx * Coordinate(x, n)) + (fy * Coordinate(y, n)))) + phase);
                }
            }
        }

        for (var i = 0; i < field.Length; i++)
        {
            field[i] /= total;
        }

        return field;
    }

    private static void NormaliseToMax(double[] image)
    {
        var max = image.Max();
        if (max > 0)
        {
            for (var i = 0; i < image.Length; i++)
            {
                image[i] /= max;
            }
        }
    }

    /// <summary>Bilinear resampling of <c>image(x - dx, y - dy)</c> with edge clamping.</summary>
    internal static double[] Shift(double[] image, int n, double dx, double dy)
    {
        var result = new double[image.Length];
        double At(int x, int y) => image[(Math.Clamp(y, 0, n - 1) * n) + Math.Clamp(x, 0, n - 1)];
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                var sx = x - dx;
                var sy = y - dy;
                var x0 = (int)Math.Floor(sx);
                var y0 = (int)Math.Floor(sy);
                var fx = sx - x0;
                var fy = sy - y0;
                result[(y * n) + x] =
                    (At(x0, y0) * (1 - fx) * (1 - fy)) + (At(x0 + 1, y0) * fx * (1 - fy)) +
                    (At(x0, y0 + 1) * (1 - fx) * fy) + (At(x0 + 1, y0 + 1) * fx * fy);
            }
        }

        return result;
    }

    private static float[] AddNoise(double[] clean, NoiseKind kind, double sigma, SplitMix64 rng)
    {
        var noisy = new float[clean.Length];
        for (var i = 0; i < clean.Length; i++)
        {
            noisy[i] = kind == NoiseKind.Rician
                ? (float)Math.Sqrt(Math.Pow(clean[i] + (sigma * rng.NextGaussian()), 2) + Math.Pow(sigma * rng.NextGaussian(), 2))
                : (float)(clean[i] + (sigma * rng.NextGaussian()));
        }

        return noisy;
    }

    /// <summary><c>magnitude * exp(i * amplitude * field)</c> as [real, imag] planes.</summary>
    private static double[] WithPhase(double[] magnitude, double[] field, double amplitude)
    {
        var pixels = magnitude.Length;
        var result = new double[2 * pixels];
        for (var i = 0; i < pixels; i++)
        {
            var phi = amplitude * field[i];
            result[i] = magnitude[i] * Math.Cos(phi);
            result[pixels + i] = magnitude[i] * Math.Sin(phi);
        }

        return result;
    }

    private static float[] ToFloat(double[] values) => [.. values.Select(v => (float)v)];

    private static float[] Subtract(float[] left, float[] right)
    {
        var result = new float[left.Length];
        for (var i = 0; i < left.Length; i++)
        {
            result[i] = left[i] - right[i];
        }

        return result;
    }
}
