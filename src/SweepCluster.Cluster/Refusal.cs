namespace SweepCluster.Cluster;

/// <summary>A typed "no" with a message a person can act on. A refused request changed nothing.</summary>
public sealed record Refusal(RefusalKind Kind, string Message)
{
    public static Refusal NotFound(string message) => new(RefusalKind.NotFound, message);

    public static Refusal Invalid(string message) => new(RefusalKind.Invalid, message);

    public static Refusal StaleAttempt(string message) => new(RefusalKind.StaleAttempt, message);

    public static Refusal NotHolder(string message) => new(RefusalKind.NotHolder, message);

    public static Refusal InvalidTransition(string message) => new(RefusalKind.InvalidTransition, message);
}
