using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Training;

namespace SweepCluster.Benchmarks;

/// <summary>One C2C training step of the trainer on a fixed batch: identical to Reference/c2c_step.py.</summary>
internal sealed class C2CStep : IDisposable
{
    private readonly C2CTrainer _trainer;
    private readonly PairedBatch _batch;
    private long _step;

    public C2CStep(int image, int[] features, int latent, int batch)
    {
        var defaults = TrialConfig.Default;
        var config = defaults with
        {
            Device = DeviceKind.Cpu,
            Data = defaults.Data with { ImageSize = image, BatchSize = batch, TrainSamples = batch, ValSamples = 1 },
            Model = defaults.Model with
            {
                Encoder = defaults.Model.Encoder with { Features = features, LatentChannels = latent },
                DecoderA = defaults.Model.DecoderA with { Features = [.. features.Reverse()], LatentChannels = latent },
                DecoderB = defaults.Model.DecoderB with { Features = [.. features.Reverse()], LatentChannels = latent },
            },
            Trainer = defaults.Trainer with { Epochs = 1000, LrSchedule = LearningRateScheduleKind.Constant },
        };
        var (train, _) = PairedDatasets.Create(config.Data);
        _trainer = new C2CTrainer(config, train, TorchSharp.torch.CPU);
        _batch = new BatchLoader(train, batch, 1, shuffle: false).GetBatch(0, 0);
    }

    public void Step() => _trainer.TrainStep(_batch, 1.0, _step++);

    public void Dispose() => _trainer.Dispose();
}
