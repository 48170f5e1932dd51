using System.Net;

namespace SweepCluster.Cli;

/// <summary>A coordinator request that was refused, with the coordinator's explanation.</summary>
internal sealed class CoordinatorException : Exception
{
    public CoordinatorException()
    {
    }

    public CoordinatorException(string message)
        : base(message)
    {
    }

    public CoordinatorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CoordinatorException(HttpStatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    public HttpStatusCode? Status { get; }
}
