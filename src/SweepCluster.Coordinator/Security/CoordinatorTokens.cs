using System.Security.Cryptography;
using System.Text;

namespace SweepCluster.Coordinator.Security;

/// <summary>
/// The silo and user bearer tokens, kept only as SHA-256 digests. A presented token is hashed and
/// compared with both digests in constant time, so neither the token's content nor its length
/// leaks through timing. The tokens themselves are never logged.
/// </summary>
public sealed class CoordinatorTokens
{
    /// <summary>Shorter tokens are refused: they could be guessed.</summary>
    public const int MinimumLength = 16;

    private readonly byte[]? _siloDigest;
    private readonly byte[] _userDigest;

    /// <param name="siloToken">Optional: silos talk to each other through Orleans, not through this API; a silo token only
    /// serves deployments that scrape a silo's own /metrics with it.</param>
    public CoordinatorTokens(string? siloToken, string userToken)
    {
        Check(userToken, "user");
        if (siloToken is not null)
        {
            Check(siloToken, "silo");
            if (string.Equals(siloToken, userToken, StringComparison.Ordinal))
            {
                throw new ArgumentException("The silo token and the user token must differ; otherwise the roles cannot be told apart.", nameof(userToken));
            }

            _siloDigest = Digest(siloToken);
        }

        _userDigest = Digest(userToken);
    }

    /// <summary>
    /// Resolves both tokens from the options, then from the token files, then from the environment
    /// (<c>SWEEPCLUSTER_SILO_TOKEN</c>, <c>SWEEPCLUSTER_USER_TOKEN</c>). Throws when one is missing.
    /// </summary>
    public static CoordinatorTokens Resolve(CoordinatorHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CoordinatorTokens(
            PickOptional(options.SiloToken, options.SiloTokenFile, "SWEEPCLUSTER_SILO_TOKEN"),
            Pick(options.UserToken, options.UserTokenFile, "SWEEPCLUSTER_USER_TOKEN", "user"));
    }

    /// <summary>A new random token (256 bits, URL-safe), for an embedded coordinator and its local silo.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The role the token grants, or null for an unknown token.</summary>
    public string? RoleOf(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var digest = Digest(presented);
        // Both comparisons always run so the time taken does not say which role matched.
        var silo = _siloDigest is not null && CryptographicOperations.FixedTimeEquals(digest, _siloDigest);
        var user = CryptographicOperations.FixedTimeEquals(digest, _userDigest);
        return silo ? CoordinatorRoles.Silo : user ? CoordinatorRoles.User : null;
    }

    private static string? PickOptional(string? value, string? file, string variable) =>
        !string.IsNullOrWhiteSpace(value) || !string.IsNullOrWhiteSpace(file) || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable))
            ? Pick(value, file, variable, "silo")
            : null;

    private static string Pick(string? value, string? file, string variable, string role)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        if (!string.IsNullOrWhiteSpace(file))
        {
            return File.ReadAllText(file).Trim();
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }

        throw new InvalidOperationException($"No {role} token is configured: set it in the options, in a token file, or in {variable}.");
    }

    private static void Check(string token, string role)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length < MinimumLength)
        {
            throw new ArgumentException($"The {role} token must have at least {MinimumLength} characters.", role == "silo" ? "siloToken" : "userToken");
        }
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
