namespace SweepCluster.Torch.Nn;

/// <summary>A module with one input and one output type.</summary>
public abstract class Module<TInput, TOutput> : Module
{
    public abstract TOutput Forward(TInput input);
}
