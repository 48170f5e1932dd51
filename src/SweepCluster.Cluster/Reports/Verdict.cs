namespace SweepCluster.Cluster.Reports;

/// <summary>The measured answer for one configuration; see <see cref="VerdictRule"/>.</summary>
public enum Verdict
{
    Pass,
    Partial,
    Fail,
}
