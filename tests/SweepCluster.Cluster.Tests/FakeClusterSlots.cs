using System.Collections.Immutable;
using SweepCluster.Cluster.Grains;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// Cluster membership as a test sets it: the silos that offer slots, and the silos declared gone. A gone silo is no
/// longer active, as with Orleans membership.
/// </summary>
/// <remarks>Thread safe: the scheduler grain reads it on the silo while the test changes it.</remarks>
public sealed class FakeClusterSlots : IClusterSlots
{
    private readonly Lock _gate = new();
    private ImmutableArray<SiloInfo> _silos = [];
    private ImmutableHashSet<string> _gone = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    public void SetSilos(params SiloInfo[] silos)
    {
        lock (_gate)
        {
            _silos = [.. silos];
        }
    }

    public void MarkGone(string siloId)
    {
        lock (_gate)
        {
            _gone = _gone.Add(siloId);
        }
    }

    public IReadOnlyList<SiloInfo> ActiveSilos()
    {
        lock (_gate)
        {
            var gone = _gone;
            return [.. _silos.Where(s => !gone.Contains(s.Id))];
        }
    }

    public bool IsGone(string siloId)
    {
        lock (_gate)
        {
            return _gone.Contains(siloId);
        }
    }
}
