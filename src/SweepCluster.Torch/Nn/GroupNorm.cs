namespace SweepCluster.Torch.Nn;

/// <summary>Group normalisation with a per-channel affine transform (weight 1, bias 0 at start).</summary>
public sealed class GroupNorm : Module<Tensor, Tensor>
{
    public GroupNorm(int groups, int channels, double eps = 1e-5, bool affine = true)
    {
        if (channels % groups != 0)
        {
            throw new ArgumentException($"channels ({channels}) must be divisible by groups ({groups})", nameof(groups));
        }

        Groups = groups;
        Eps = eps;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([channels]));
            Bias = RegisterParameter("bias", Tensor.Zeros([channels]));
        }
    }

    public int Groups { get; }

    public double Eps { get; }

    public Tensor? Weight { get; private set; }

    public Tensor? Bias { get; private set; }

    public override Tensor Forward(Tensor input) => Functional.GroupNorm(input, Groups, Weight, Bias, Eps);

    protected override void OnMoved()
    {
        if (Weight is not null)
        {
            Weight = GetTensor("weight");
            Bias = GetTensor("bias");
        }
    }
}
