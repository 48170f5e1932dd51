namespace SweepCluster.Denoising.Data;

/// <summary>Flips applied identically to every image of a sample, so the pair stays registered.</summary>
internal static class Augmentation
{
    public static float[]? Flip(float[]? image, int channels, int height, int width, bool horizontal, bool vertical)
    {
        if (image is null || (!horizontal && !vertical))
        {
            return image;
        }

        var result = new float[image.Length];
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < height; y++)
            {
                var sy = vertical ? height - 1 - y : y;
                for (var x = 0; x < width; x++)
                {
                    var sx = horizontal ? width - 1 - x : x;
                    result[(((c * height) + y) * width) + x] = image[(((c * height) + sy) * width) + sx];
                }
            }
        }

        return result;
    }

    public static T[]? Flip<T>(T[]? image, int height, int width, bool horizontal, bool vertical)
    {
        if (image is null || (!horizontal && !vertical))
        {
            return image;
        }

        var result = new T[image.Length];
        for (var y = 0; y < height; y++)
        {
            var sy = vertical ? height - 1 - y : y;
            for (var x = 0; x < width; x++)
            {
                result[(y * width) + x] = image[(sy * width) + (horizontal ? width - 1 - x : x)];
            }
        }

        return result;
    }

    public static PairedSample Flip(PairedSample s, bool horizontal, bool vertical)
    {
        if (!horizontal && !vertical)
        {
            return s;
        }

        float[]? F(float[]? image) => Flip(image, s.Channels, s.Height, s.Width, horizontal, vertical);
        return new PairedSample(s.Channels, s.Height, s.Width, F(s.NoisyA)!, F(s.NoisyB)!)
        {
            CleanA = F(s.CleanA),
            CleanB = F(s.CleanB),
            NoiseA = F(s.NoiseA),
            NoiseB = F(s.NoiseB),
            Tissue = Flip(s.Tissue, s.Height, s.Width, horizontal, vertical),
        };
    }
}
