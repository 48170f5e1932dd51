using System.Diagnostics.CodeAnalysis;

namespace SweepCluster.Cluster;

/// <summary>Either an accepted value or a <see cref="Cluster.Refusal"/>; never both.</summary>
public sealed class Outcome<T>
{
    private readonly T? _value;

    private Outcome(T? value, Refusal? refusal)
    {
        _value = value;
        Refusal = refusal;
    }

    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsAccepted => Refusal is null;

    public Refusal? Refusal { get; }

    /// <summary>The accepted value; throws when the outcome is a refusal, so check <see cref="IsAccepted"/> first.</summary>
    public T Value => IsAccepted ? _value! : throw new InvalidOperationException($"The request was refused ({Refusal.Kind}): {Refusal.Message}");

    public static Outcome<T> Accepted(T value) => new(value, null);

    public static Outcome<T> Refused(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new(default, refusal);
    }

    public static implicit operator Outcome<T>(Refusal refusal) => Refused(refusal);

    public override string ToString() => IsAccepted ? $"Accepted({_value})" : $"Refused({Refusal.Kind}: {Refusal.Message})";
}
