using System.Globalization;

namespace SweepCluster.Denoising.Runtime;

/// <summary>
/// The first training step produced NaN or infinity: the networks started from broken weights (an uninitialised
/// parameter, a bad configuration). Raised instead of training on, so the trial fails loudly and says where.
/// </summary>
public sealed class NonFiniteStartException : Exception
{
    public NonFiniteStartException(string message)
        : base(message)
    {
    }

    public NonFiniteStartException()
    {
    }

    public NonFiniteStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Throws when any metric of the first step is NaN or infinite, naming them and the parameters
    /// <paramref name="nonFiniteParameters"/> finds broken (called only then).
    /// </summary>
    public static void ThrowIfAny(IReadOnlyDictionary<string, double> firstStep, Func<IReadOnlyList<string>> nonFiniteParameters)
    {
        ArgumentNullException.ThrowIfNull(firstStep);
        ArgumentNullException.ThrowIfNull(nonFiniteParameters);
        var bad = firstStep.Where(p => !double.IsFinite(p.Value)).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} = {p.Value}")).ToList();
        if (bad.Count > 0)
        {
            var parameters = nonFiniteParameters();
            var where = parameters.Count == 0 ? string.Empty : $"; not finite: {string.Join(", ", parameters.Take(12))}{(parameters.Count > 12 ? ", ..." : string.Empty)}";
            throw new NonFiniteStartException($"the first training step is not finite ({string.Join(", ", bad)}){where}: the networks started from broken weights");
        }
    }
}
