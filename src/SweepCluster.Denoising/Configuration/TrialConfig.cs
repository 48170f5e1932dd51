using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace SweepCluster.Denoising.Configuration;

/// <summary>
/// One trial, fully resolved (docs/trial-config.md). Parsing goes YAML/JSON text -> <see cref="JsonObject"/> tree ->
/// schema check with defaults -> semantic check -> typed records; every error of every stage is reported at once
/// in one <see cref="TrialConfigException"/>.
/// </summary>
public sealed partial record TrialConfig(
    string Name,
    long Seed,
    DeviceKind Device,
    int Threads,
    DataConfig Data,
    ModelConfig Model,
    TrainerConfig Trainer,
    EvaluationConfig Evaluation)
{
    /// <summary>The configuration with every key at its default.</summary>
    public static TrialConfig Default { get; } = FromTree(DefaultTree());

    /// <summary>Parses a YAML or JSON document; <paramref name="fileName"/> only labels the error messages.</summary>
    /// <exception cref="TrialConfigException">Every problem of the document, each with its key path, line and column.</exception>
    public static TrialConfig Parse(string yamlOrJson, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yamlOrJson);
        ArgumentNullException.ThrowIfNull(fileName);
        var errors = new List<string>();
        var positions = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var given = YamlTreeReader.Read(yamlOrJson, positions, errors, fileName);
        var resolved = new TreeResolver(path => Where(path, positions, fileName), errors).ResolveRoot(given);
        errors.AddRange(SemanticErrors(resolved, path => Where(path, positions, fileName)));
        if (errors.Count > 0)
        {
            throw new TrialConfigException(errors);
        }

        return Map(resolved);
    }

    /// <summary>Reads and parses a trial file (<c>.yaml</c>, <c>.yml</c> or <c>.json</c>).</summary>
    public static TrialConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <summary>The complete tree with every key at its default, in the order of docs/trial-config.md.</summary>
    public static JsonObject DefaultTree() => (JsonObject)TrialSchema.Root.CreateDefault();

    /// <summary>
    /// The valid values of the enum key at <paramref name="dottedPath"/> (for example <c>trainer.optimizer</c>);
    /// null for a key that is not an enum or does not exist.
    /// </summary>
    public static IReadOnlyList<string>? AllowedValues(string dottedPath) =>
        TrialSchema.Find(dottedPath) is ScalarSchema { Type: ScalarType.Enum } scalar ? [.. scalar.Values!, .. scalar.Aliases.Keys] : null;

    /// <summary>The current spelling of an enum value at <paramref name="dottedPath"/> (an old name becomes its new one).</summary>
    public static string CanonicalValue(string dottedPath, string value) =>
        TrialSchema.Find(dottedPath) is ScalarSchema { Type: ScalarType.Enum } scalar && scalar.Aliases.TryGetValue(value, out var current) ? current : value;

    /// <summary>
    /// The current spelling of a dotted key path: an old key name (<c>trainer.cross_domain_strategy</c>) becomes its
    /// new one (<c>trainer.cross_skips</c>); any other path is returned as given.
    /// </summary>
    public static string CanonicalPath(string dottedPath)
    {
        ArgumentNullException.ThrowIfNull(dottedPath);
        var parts = dottedPath.Split('.');
        SchemaNode? node = TrialSchema.Root;
        for (var i = 0; i < parts.Length && node is ObjectSchema obj; i++)
        {
            parts[i] = obj.CanonicalKey(parts[i]);
            node = obj.Field(parts[i]);
        }

        return string.Join('.', parts);
    }

    /// <summary>
    /// Every problem of a tree (for example a default tree with a sweep's overrides applied): unknown keys, wrong
    /// types, unknown enum values, then the semantic checks (positive sizes, batch within samples, matching
    /// encoder and decoder depths, a discriminator for a positive adversarial weight, ...). Missing keys take
    /// their defaults. An empty list means <see cref="FromTree"/> will succeed.
    /// </summary>
    public static IReadOnlyList<string> ValidateTree(JsonObject resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var errors = new List<string>();
        var full = new TreeResolver(_ => string.Empty, errors).ResolveRoot(resolved);
        errors.AddRange(SemanticErrors(full, _ => string.Empty));
        return errors;
    }

    /// <summary>The typed configuration of a tree; missing keys take their defaults.</summary>
    /// <exception cref="TrialConfigException">The errors <see cref="ValidateTree"/> would list.</exception>
    public static TrialConfig FromTree(JsonObject tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var errors = new List<string>();
        var full = new TreeResolver(_ => string.Empty, errors).ResolveRoot(tree);
        errors.AddRange(SemanticErrors(full, _ => string.Empty));
        if (errors.Count > 0)
        {
            throw new TrialConfigException(errors);
        }

        return Map(full);
    }

    private static string Where(string path, Dictionary<string, Mark> positions, string fileName)
    {
        // A refused default-filled key has no position of its own: point at its nearest written ancestor.
        var probe = path;
        while (probe.Length > 0)
        {
            if (positions.TryGetValue(probe, out var mark))
            {
                return $" ({fileName}, line {mark.Line}, column {mark.Column})";
            }

            var cut = Math.Max(probe.LastIndexOf('.'), probe.LastIndexOf('['));
            probe = cut > 0 ? probe[..cut] : string.Empty;
        }

        return $" ({fileName})";
    }
}
