namespace SweepCluster.Denoising.Configuration;

/// <summary>The <c>data</c> section of a trial: where the paired images come from and how they are augmented.</summary>
/// <param name="Path">NPY only: folder holding <c>a/*.npy</c> and <c>b/*.npy</c>.</param>
/// <param name="ImageSize">Synthetic: side of the square phantom; NPY: side of the random crop.</param>
/// <param name="Seed">Seed of data generation and augmentation (independent of the model seed).</param>
/// <param name="BiasField">Amplitude of a smooth multiplicative bias field; 0 turns it off.</param>
/// <param name="ContrastSpecific">Adds structures present in one contrast only.</param>
/// <param name="Misregistration">Maximum shift of contrast B in pixels; sub-pixel values allowed.</param>
/// <param name="Phase">
/// Synthetic only: amplitude in radians of a smooth phase map shared by both contrasts' clean images; above 0 the
/// phantoms are complex, two channels [real, imag].
/// </param>
public sealed record DataConfig(
    DataKind Kind,
    string Path,
    DataRepresentation Representation,
    int ImageSize,
    int TrainSamples,
    int ValSamples,
    int BatchSize,
    long Seed,
    bool Flip,
    NoiseConfig Noise,
    double BiasField,
    bool ContrastSpecific,
    double Misregistration,
    double Phase = 0);
