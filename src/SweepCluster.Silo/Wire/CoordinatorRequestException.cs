using System.Net;

namespace SweepCluster.Silo.Wire;

/// <summary>The coordinator refused a request (a 4xx, never retried) or kept failing (a 5xx after every retry).</summary>
public sealed class CoordinatorRequestException : Exception
{
    public CoordinatorRequestException()
    {
    }

    public CoordinatorRequestException(string message)
        : base(message)
    {
    }

    public CoordinatorRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CoordinatorRequestException(HttpStatusCode statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>409: the attempt is stale or held by another silo; it is no longer ours.</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;
}
