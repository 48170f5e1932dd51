namespace SweepCluster.Torch.Nn;

/// <summary>Which fan scales a Kaiming initialisation.</summary>
public enum FanMode
{
    FanIn = 0,
    FanOut = 1,
}
