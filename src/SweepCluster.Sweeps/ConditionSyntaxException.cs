namespace SweepCluster.Sweeps;

/// <summary>A <c>when</c> expression that does not parse; <see cref="Offset"/> is 0-based in its text.</summary>
public sealed class ConditionSyntaxException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConditionSyntaxException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>Creates the exception at offset 0.</summary>
    public ConditionSyntaxException()
        : this("malformed condition", 0)
    {
    }

    /// <summary>Creates the exception at offset 0.</summary>
    public ConditionSyntaxException(string message)
        : this(message, 0)
    {
    }

    /// <summary>Creates the exception at offset 0.</summary>
    public ConditionSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Where in the expression text the problem is (0-based).</summary>
    public int Offset { get; }
}
