using SweepCluster.Denoising.Configuration;

namespace SweepCluster.Denoising.Data;

/// <summary>
/// Real paired images: <c>a/NAME.npy</c> and <c>b/NAME.npy</c> under <c>data.path</c>, matched by file name.
/// Each file is a 2-D image or a 3-D stack with a leading slice axis (each slice one sample); float32, float64 or
/// complex64 (magnitude, or real and imaginary as two channels per <c>data.representation</c>).
/// <para>
/// Normalisation: every image (each slice of each contrast) is divided by its own maximum magnitude, so its
/// brightest pixel is 1, the scale of the phantoms and of the noise sigmas. The maximum is used rather than
/// a percentile so no pixel exceeds 1; a single hot pixel therefore darkens its whole image.
/// </para>
/// <para>
/// Split: all slices, ordered by (file name, slice), are shuffled with <c>data.seed</c>; the first
/// <c>val_samples</c> are the validation set, the next up to <c>train_samples</c> the training set.
/// Training samples are cropped at random to <c>image_size</c> and flipped (<c>data.flip</c>) per (epoch, index);
/// validation samples are cropped at the centre. There are no clean images: <see cref="HasCleanReference"/> is false.
/// </para>
/// </summary>
public sealed class PairedNpyDataset : IPairedDataset
{
    private readonly Slice[] _slices;
    private readonly DataConfig _data;
    private readonly DataSplit _split;

    private PairedNpyDataset(Slice[] slices, DataConfig data, DataSplit split, int channels)
    {
        _slices = slices;
        _data = data;
        _split = split;
        Channels = channels;
    }

    public int Count => _slices.Length;

    public int Channels { get; }

    public int Height => _data.ImageSize;

    public int Width => _data.ImageSize;

    public bool HasCleanReference => false;

    /// <summary>The (file name, slice) each sample comes from, for reports.</summary>
    public IReadOnlyList<string> SampleNames => [.. _slices.Select(s => s.Name)];

    /// <summary>Loads and checks every pair under <c>data.path</c> and splits them.</summary>
    /// <exception cref="InvalidDataException">Every bad file, each named with its problem.</exception>
    public static (PairedNpyDataset Train, PairedNpyDataset Validation) Open(DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var folderA = Path.Combine(data.Path, "a");
        var folderB = Path.Combine(data.Path, "b");
        var problems = new List<string>();
        foreach (var folder in new[] { folderA, folderB })
        {
            if (!Directory.Exists(folder))
            {
                problems.Add($"{folder}: folder missing (expected a/*.npy and b/*.npy under {data.Path})");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException(string.Join(Environment.NewLine, problems));
        }

        var namesA = Directory.GetFiles(folderA, "*.npy").Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var namesB = Directory.GetFiles(folderB, "*.npy").Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var name in namesA.Except(namesB).Order(StringComparer.Ordinal))
        {
            problems.Add($"{Path.Combine(folderA, name)}: no partner {Path.Combine(folderB, name)}");
        }

        foreach (var name in namesB.Except(namesA).Order(StringComparer.Ordinal))
        {
            problems.Add($"{Path.Combine(folderB, name)}: no partner {Path.Combine(folderA, name)}");
        }

        var channels = data.Representation == DataRepresentation.RealImag ? 2 : 1;
        var slices = new List<Slice>();
        foreach (var name in namesA.Intersect(namesB).Order(StringComparer.Ordinal))
        {
            var pathA = Path.Combine(folderA, name);
            var pathB = Path.Combine(folderB, name);
            try
            {
                var a = NpyReader.Read(pathA);
                var b = NpyReader.Read(pathB);
                CheckShape(pathA, a, data);
                CheckShape(pathB, b, data);
                if (!a.Shape.SequenceEqual(b.Shape))
                {
                    throw new InvalidDataException($"{pathB}: shape ({string.Join(", ", b.Shape)}) does not match its partner {pathA} ({string.Join(", ", a.Shape)})");
                }

                var count = a.Shape.Count == 3 ? a.Shape[0] : 1;
                int height = a.Shape[^2], width = a.Shape[^1];
                for (var s = 0; s < count; s++)
                {
                    slices.Add(new Slice(
                        a.Shape.Count == 3 ? $"{name}[{s}]" : name,
                        height,
                        width,
                        ToChannels(a, s, height * width, data.Representation),
                        ToChannels(b, s, height * width, data.Representation)));
                }
            }
            catch (InvalidDataException ex)
            {
                problems.Add(ex.Message);
            }
        }

        if (problems.Count == 0 && slices.Count < data.ValSamples + 1)
        {
            problems.Add($"{data.Path}: {slices.Count} slices found, fewer than data.val_samples ({data.ValSamples}) plus at least one for training");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException(string.Join(Environment.NewLine, problems));
        }

        var order = SplitMix64.Derive(data.Seed, 400).Permutation(slices.Count);
        var validation = order.Take(data.ValSamples).Select(i => slices[i]).ToArray();
        var train = order.Skip(data.ValSamples).Take(data.TrainSamples).Select(i => slices[i]).ToArray();
        return (new PairedNpyDataset(train, data, DataSplit.Train, channels), new PairedNpyDataset(validation, data, DataSplit.Validation, channels));
    }

    public PairedSample Get(int index, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var slice = _slices[index];
        var size = _data.ImageSize;
        int top, left;
        bool flipH = false, flipV = false;
        if (_split == DataSplit.Train)
        {
            var rng = SplitMix64.Derive(_data.Seed, 300, epoch, index);
            top = rng.NextInt(slice.Height - size + 1);
            left = rng.NextInt(slice.Width - size + 1);
            if (_data.Flip)
            {
                flipH = rng.NextDouble() < 0.5;
                flipV = rng.NextDouble() < 0.5;
            }
        }
        else
        {
            top = (slice.Height - size) / 2;
            left = (slice.Width - size) / 2;
        }

        var sample = new PairedSample(Channels, size, size, Crop(slice.A, slice, top, left, size), Crop(slice.B, slice, top, left, size));
        return Augmentation.Flip(sample, flipH, flipV);
    }

    private static void CheckShape(string path, NpyArray array, DataConfig data)
    {
        if (array.Shape.Count is not (2 or 3))
        {
            throw new InvalidDataException($"{path}: shape ({string.Join(", ", array.Shape)}) is neither a 2-D image nor a 3-D stack of slices");
        }

        if (array.Shape[^2] < data.ImageSize || array.Shape[^1] < data.ImageSize)
        {
            throw new InvalidDataException($"{path}: images of {array.Shape[^2]}x{array.Shape[^1]} are smaller than the crop data.image_size = {data.ImageSize}");
        }

        if (array.DataType != NpyDataType.Complex64 && data.Representation == DataRepresentation.RealImag)
        {
            throw new InvalidDataException($"{path}: data.representation real_imag needs complex64 data, the file holds {array.DataType}");
        }
    }

    /// <summary>Slice <paramref name="s"/> as [C,H,W] channels, divided by its maximum magnitude.</summary>
    private static float[] ToChannels(NpyArray array, int s, int pixels, DataRepresentation representation)
    {
        var offset = s * pixels;
        var twoChannels = representation == DataRepresentation.RealImag;
        var result = new float[(twoChannels ? 2 : 1) * pixels];
        var max = 0.0;
        for (var i = 0; i < pixels; i++)
        {
            var re = array.Real[offset + i];
            var im = array.Imaginary?[offset + i] ?? 0f;
            var magnitude = Math.Sqrt(((double)re * re) + ((double)im * im));
            max = Math.Max(max, magnitude);
            if (twoChannels)
            {
                result[i] = re;
                result[pixels + i] = im;
            }
            else
            {
                // Magnitude for complex data; real data keeps its sign.
                result[i] = array.Imaginary is null ? re : (float)magnitude;
            }
        }

        if (max > 0)
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = (float)(result[i] / max);
            }
        }

        return result;
    }

    private float[] Crop(float[] image, Slice slice, int top, int left, int size)
    {
        var result = new float[Channels * size * size];
        for (var c = 0; c < Channels; c++)
        {
            for (var y = 0; y < size; y++)
            {
                Array.Copy(image, (((c * slice.Height) + top + y) * slice.Width) + left, result, ((c * size) + y) * size, size);
            }
        }

        return result;
    }

    private sealed record Slice(string Name, int Height, int Width, float[] A, float[] B);
}
