namespace SweepCluster.Torch.Nn;

/// <summary>2-D convolution with square kernels, initialised as PyTorch's <c>nn.Conv2d</c>.</summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true, int groups = 1, Generator? generator = null)
    {
        Stride = stride;
        Padding = padding;
        Groups = groups;
        Weight = RegisterParameter("weight", Tensor.Zeros([outChannels, inChannels / groups, kernelSize, kernelSize]));
        // PyTorch's default: kaiming_uniform_(a=sqrt(5)), bias uniform in +-1/sqrt(fan_in).
        Init.KaimingUniform(Weight, Math.Sqrt(5), generator: generator);
        if (bias)
        {
            var bound = 1.0 / Math.Sqrt(inChannels / groups * kernelSize * kernelSize);
            Bias = RegisterParameter("bias", Tensor.Zeros([outChannels]));
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    public Tensor Weight { get; private set; }

    public Tensor? Bias { get; private set; }

    public int Stride { get; }

    public int Padding { get; }

    public int Groups { get; }

    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, groups: Groups);

    protected override void OnMoved()
    {
        Weight = GetTensor("weight");
        Bias = Bias is null ? null : GetTensor("bias");
    }
}
