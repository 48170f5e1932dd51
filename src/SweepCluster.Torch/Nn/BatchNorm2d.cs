namespace SweepCluster.Torch.Nn;

/// <summary>Batch normalisation over (N, H, W) per channel, with running statistics as buffers.</summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    public BatchNorm2d(int channels, double eps = 1e-5, double momentum = 0.1)
    {
        Eps = eps;
        Momentum = momentum;
        Weight = RegisterParameter("weight", Tensor.Ones([channels]));
        Bias = RegisterParameter("bias", Tensor.Zeros([channels]));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([channels]));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([channels]));
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], ScalarType.Int64));
    }

    public double Eps { get; }

    public double Momentum { get; }

    public Tensor Weight { get; private set; }

    public Tensor Bias { get; private set; }

    public Tensor RunningMean { get; private set; }

    public Tensor RunningVar { get; private set; }

    /// <summary>Kept for state-file compatibility with PyTorch; counts training batches.</summary>
    public Tensor NumBatchesTracked { get; private set; }

    public override Tensor Forward(Tensor input)
    {
        if (IsTraining)
        {
            using (Torch.NoGrad())
            using (var scope = Torch.NewDisposeScope())
            {
                NumBatchesTracked.CopyFrom(NumBatchesTracked + 1);
            }
        }

        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, IsTraining, Momentum, Eps);
    }

    protected override void OnMoved()
    {
        Weight = GetTensor("weight");
        Bias = GetTensor("bias");
        RunningMean = GetTensor("running_mean");
        RunningVar = GetTensor("running_var");
        NumBatchesTracked = GetTensor("num_batches_tracked");
    }
}
