namespace SweepCluster.Silo;

/// <summary>The trial no longer counts the attempt as live (a newer attempt, a cancel, a silo declared dead): stop and say nothing more.</summary>
public sealed class AttemptRevokedException : Exception
{
    public AttemptRevokedException()
    {
    }

    public AttemptRevokedException(string message)
        : base(message)
    {
    }

    public AttemptRevokedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
