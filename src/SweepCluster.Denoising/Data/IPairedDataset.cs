namespace SweepCluster.Denoising.Data;

/// <summary>
/// A fixed, indexable set of paired samples of equal shape. <see cref="Get"/> is deterministic in
/// (index, epoch): the epoch only changes the augmentation draw of training sets. Implementations are
/// safe to call from several threads at once.
/// </summary>
public interface IPairedDataset
{
    int Count { get; }

    /// <summary>
    /// Channels per image. Two channels are always the real and imaginary parts of one complex image
    /// (<c>data.representation: real_imag</c> of NPY complex64 data, or complex phantoms); evaluation measures them by
    /// their magnitude.
    /// </summary>
    int Channels { get; }

    int Height { get; }

    int Width { get; }

    /// <summary>Whether samples carry clean images; without them evaluation against clean is skipped.</summary>
    bool HasCleanReference { get; }

    /// <summary>Sample <paramref name="index"/> as drawn in the 1-based <paramref name="epoch"/>.</summary>
    PairedSample Get(int index, int epoch);
}
