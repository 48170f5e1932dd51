using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>
/// The trial-config contract the sweep validator checks overrides against.
/// </summary>
/// <remarks>
/// Implemented by the trainer side (docs/trial-config.md); the sweep language depends only on
/// this interface so that it never references the trainer. Implementations must be pure and
/// thread safe: the loader and expander may call them many times and from several threads.
/// <list type="bullet">
/// <item><see cref="CreateDefaults"/> returns a new, complete tree on each call (callers mutate it).
/// Every key a sweep may override exists in it; its value kinds (object, list, string, number,
/// bool) are the kinds an override must have.</item>
/// <item><see cref="AllowedValues"/> names the valid values of an enumerated string key, or null
/// when the key takes any value.</item>
/// <item><see cref="Validate"/> checks the cross-field rules of a fully resolved tree and returns
/// every problem, each written <c>dotted.path: message</c>; an empty list means valid.</item>
/// </list>
/// </remarks>
public interface ITrialConfigSchema
{
    /// <summary>The complete default config tree, snake_case keys.</summary>
    JsonObject CreateDefaults();

    /// <summary>The valid values of an enumerated key, or null when the value is free.</summary>
    IReadOnlyList<string>? AllowedValues(string dottedPath);

    /// <summary>Semantic errors of a fully resolved config, each <c>dotted.path: message</c>.</summary>
    IReadOnlyList<string> Validate(JsonObject resolved);

    /// <summary>
    /// The current spelling of a key path whose last segment may be an old name of a key (an alias); a path
    /// without aliases is returned unchanged. The default has no aliases.
    /// </summary>
    string CanonicalPath(string dottedPath) => dottedPath;

    /// <summary>
    /// The current spelling of an enumerated value that <see cref="AllowedValues"/> accepts as an old name; any other
    /// value is returned unchanged. Overrides store the current spelling, so the trial id does not depend on it.
    /// </summary>
    string CanonicalValue(string dottedPath, string value) => value;

    /// <summary>
    /// The metric names the trainer reports once per epoch (what <c>early_stopping.metric</c> may name), or null when
    /// the schema does not say: then any name is taken. The default does not say.
    /// </summary>
    IReadOnlyList<string>? EpochMetrics => null;
}
