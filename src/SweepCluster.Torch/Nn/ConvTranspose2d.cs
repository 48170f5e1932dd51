namespace SweepCluster.Torch.Nn;

/// <summary>2-D transposed convolution with square kernels, initialised as PyTorch's <c>nn.ConvTranspose2d</c>.</summary>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0, bool bias = true, Generator? generator = null)
    {
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        Weight = RegisterParameter("weight", Tensor.Zeros([inChannels, outChannels, kernelSize, kernelSize]));
        // PyTorch computes fan_in from weight dim 1, which for a transposed conv is the output channels.
        Init.KaimingUniform(Weight, Math.Sqrt(5), generator: generator);
        if (bias)
        {
            var bound = 1.0 / Math.Sqrt(outChannels * kernelSize * kernelSize);
            Bias = RegisterParameter("bias", Tensor.Zeros([outChannels]));
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    public Tensor Weight { get; private set; }

    public Tensor? Bias { get; private set; }

    public int Stride { get; }

    public int Padding { get; }

    public int OutputPadding { get; }

    public override Tensor Forward(Tensor input) => Functional.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding);

    protected override void OnMoved()
    {
        Weight = GetTensor("weight");
        Bias = Bias is null ? null : GetTensor("bias");
    }
}
