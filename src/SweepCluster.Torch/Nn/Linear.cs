namespace SweepCluster.Torch.Nn;

/// <summary>A fully connected layer, initialised as PyTorch's <c>nn.Linear</c>.</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        Weight = RegisterParameter("weight", Tensor.Zeros([outFeatures, inFeatures]));
        Init.KaimingUniform(Weight, Math.Sqrt(5), generator: generator);
        if (bias)
        {
            var bound = 1.0 / Math.Sqrt(inFeatures);
            Bias = RegisterParameter("bias", Tensor.Zeros([outFeatures]));
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    public Tensor Weight { get; private set; }

    public Tensor? Bias { get; private set; }

    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);

    protected override void OnMoved()
    {
        Weight = GetTensor("weight");
        Bias = Bias is null ? null : GetTensor("bias");
    }
}
