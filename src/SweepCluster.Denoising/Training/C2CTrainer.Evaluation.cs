using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Training;

public sealed partial class C2CTrainer
{
    /// <summary>The names of the evaluated images, in report order.</summary>
    public static readonly IReadOnlyList<string> OutputNames = ["x_a_recon", "x_b_recon", "x_a_from_b", "x_b_from_a", "noisy_a", "noisy_b"];

    /// <summary>
    /// Runs the whole validation set in eval mode without gradients and measures every output against the clean
    /// images (x_a_* and noisy_a against clean_a, x_b_* and noisy_b against clean_b; data range 1.0), with the
    /// leakage index against both input noises. Data without a clean reference give no metrics, only images.
    /// </summary>
    public EvaluationResult Evaluate(IPairedDataset validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var loader = new BatchLoader(validation, Config.Data.BatchSize, Config.Data.Seed, shuffle: false);
        var images = new List<IReadOnlyDictionary<string, float[]>>();
        double zDistance = 0;
        Model.eval();
        try
        {
            for (var b = 0; b < loader.BatchesPerPass; b++)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var batch = loader.GetBatch(1, b);
                // With the median scale the network sees each slice divided by its scale; its outputs go back to the slice's own scale.
                var (xA, xB, scaleA, scaleB) = SliceScale.Apply(Config.Trainer.CrossLossScale, ToTensor(batch.NoisyA, batch.Shape), ToTensor(batch.NoisyB, batch.Shape));

                var outputs = Model.forward(xA, xB);
                zDistance += Item((outputs.EncodedA.Z - outputs.EncodedB.Z).abs().mean()) * batch.Count;
                static Tensor Back(Tensor output, Tensor? scale) => scale is null ? output : output * scale;
                var perOutput = new Dictionary<string, float[]>(StringComparer.Ordinal)
                {
                    ["x_a_recon"] = ToCpuArray(Back(outputs.XARecon, scaleA)),
                    ["x_b_recon"] = ToCpuArray(Back(outputs.XBRecon, scaleB)),
                    ["x_a_from_b"] = ToCpuArray(Back(outputs.XAFromB, scaleA)),
                    ["x_b_from_a"] = ToCpuArray(Back(outputs.XBFromA, scaleB)),
                    ["noisy_a"] = batch.NoisyA,
                    ["noisy_b"] = batch.NoisyB,
                };
                AddIfPresent(perOutput, "clean_a", batch.CleanA);
                AddIfPresent(perOutput, "clean_b", batch.CleanB);
                AddIfPresent(perOutput, "noise_a", batch.NoiseA);
                AddIfPresent(perOutput, "noise_b", batch.NoiseB);
                var size = batch.Channels * batch.Height * batch.Width;
                for (var i = 0; i < batch.Count; i++)
                {
                    images.Add(perOutput.ToDictionary(p => p.Key, p => p.Value.AsSpan(i * size, size).ToArray(), StringComparer.Ordinal));
                }
            }
        }
        finally
        {
            Model.train();
        }

        var (channels, height, width) = (validation.Channels, validation.Height, validation.Width);
        return new EvaluationResult(Measure(images, channels, height, width), images, channels, height, width, zDistance / images.Count);
    }

    /// <summary>The metrics of every output in <paramref name="images"/>; empty when clean images or noises are missing.</summary>
    internal static Dictionary<string, OutputMetrics> Measure(IReadOnlyList<IReadOnlyDictionary<string, float[]>> images, int channels, int height, int width)
    {
        var result = new Dictionary<string, OutputMetrics>(StringComparer.Ordinal);
        if (images.Count == 0 || !images[0].ContainsKey("clean_a") || !images[0].ContainsKey("noise_a"))
        {
            return result;
        }

        List<float[]> All(string name) => [.. images.Select(i => i[name])];
        var (noiseA, noiseB) = (All("noise_a"), All("noise_b"));
        foreach (var name in OutputNames)
        {
            var clean = name is "x_a_recon" or "x_a_from_b" or "noisy_a" ? All("clean_a") : All("clean_b");
            result[name] = OutputEvaluator.Measure(All(name), clean, noiseA, noiseB, channels, height, width);
        }

        return result;
    }

    private static void AddIfPresent(Dictionary<string, float[]> map, string name, float[]? value)
    {
        if (value is not null)
        {
            map[name] = value;
        }
    }

    private static float[] ToCpuArray(Tensor tensor) => tensor.cpu().contiguous().data<float>().ToArray();
}
