using SweepCluster.Denoising.Configuration;

namespace SweepCluster.Denoising.Data;

/// <summary>The training and validation sets of a <c>data</c> section, synthetic or NPY.</summary>
public static class PairedDatasets
{
    public static (IPairedDataset Train, IPairedDataset Validation) Create(DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Kind == DataKind.Npy)
        {
            var (train, validation) = PairedNpyDataset.Open(data);
            return (train, validation);
        }

        return (new PhantomDataset(data, DataSplit.Train), new PhantomDataset(data, DataSplit.Validation));
    }
}
