namespace SweepCluster.Torch.Optim;

/// <summary>AdamW: Adam with decoupled weight decay, as PyTorch's <c>torch.optim.AdamW</c>.</summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, 1, lr, beta1, beta2, eps, weightDecay)
    {
    }
}
