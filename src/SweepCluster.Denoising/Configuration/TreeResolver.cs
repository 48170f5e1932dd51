using System.Text.Json;
using System.Text.Json.Nodes;

namespace SweepCluster.Denoising.Configuration;

/// <summary>
/// Checks a (possibly partial) tree against <see cref="TrialSchema"/> and fills in defaults. Every problem is
/// collected rather than thrown, so one run reports all of them; a refused value is replaced by its default so
/// the walk can go on.
/// </summary>
internal sealed class TreeResolver(Func<string, string> where, List<string> errors)
{
    public JsonObject ResolveRoot(JsonObject? given) => (JsonObject)Resolve(given, TrialSchema.Root, string.Empty)!;

    private JsonNode? Resolve(JsonNode? given, SchemaNode schema, string path) => schema switch
    {
        ObjectSchema obj => ResolveObject(given, obj, path),
        ScalarSchema scalar => ResolveScalar(given, scalar, path),
        ListSchema list => ResolveList(given, list, path),
        StageListSchema => ResolveStages(given, path),
        _ => throw new InvalidOperationException("Unknown schema node"),
    };

    private JsonObject ResolveObject(JsonNode? given, ObjectSchema schema, string path)
    {
        var result = new JsonObject();
        if (given is not null and not JsonObject)
        {
            Error(path, $"expected a mapping of keys, got {Describe(given)}");
            given = null;
        }

        var givenObject = (JsonObject?)given;
        if (givenObject is not null)
        {
            foreach (var (key, _) in givenObject)
            {
                if (schema.Field(schema.CanonicalKey(key)) is null)
                {
                    var closest = Closest(key, schema.Fields.Select(f => f.Key));
                    Error(Join(path, key), $"unknown key; did you mean '{closest}'? (valid keys here: {string.Join(", ", schema.Fields.Select(f => f.Key))})");
                }
            }

            if (schema.KeyAliases.Count > 0)
            {
                givenObject = ApplyKeyAliases(givenObject, schema, path);
            }
        }

        foreach (var (key, node) in schema.Fields)
        {
            var childPath = Join(path, key);
            if (givenObject is not null && givenObject.TryGetPropertyValue(key, out var child) && (child is not null || node is not ObjectSchema))
            {
                result[key] = Resolve(child, node, childPath);
            }
            else
            {
                result[key] = node.CreateDefault();
            }
        }

        return result;
    }

    /// <summary>
    /// The object with each old key name (an alias) read as its current name. Both spellings with different values
    /// is an error, since neither can be said to win.
    /// </summary>
    private JsonObject ApplyKeyAliases(JsonObject given, ObjectSchema schema, string path)
    {
        var result = new JsonObject();
        foreach (var (key, value) in given)
        {
            var canonical = schema.CanonicalKey(key);
            if (canonical == key)
            {
                result[key] = value?.DeepClone();
            }
        }

        foreach (var (key, value) in given)
        {
            var canonical = schema.CanonicalKey(key);
            if (canonical == key)
            {
                continue;
            }

            if (result.TryGetPropertyValue(canonical, out var existing) && !JsonNode.DeepEquals(existing, value))
            {
                Error(Join(path, key), $"is the old name of '{canonical}', which is also set to a different value; set '{canonical}' only");
                continue;
            }

            result[canonical] = value?.DeepClone();
        }

        return result;
    }

    private JsonNode? ResolveScalar(JsonNode? given, ScalarSchema schema, string path)
    {
        if (schema.Type == ScalarType.Enum && given?.GetValueKind() == JsonValueKind.String
            && schema.Aliases.TryGetValue(given.GetValue<string>(), out var canonical))
        {
            // An old name reads as the current one, so the resolved tree (and the trial id) does not depend on spelling.
            return JsonValue.Create(canonical);
        }

        var checkedValue = CheckScalar(given, schema.Type, schema.Values, path, schema.Aliases.Keys);
        return checkedValue ?? schema.CreateDefault();
    }

    /// <summary>The normalised value (long, double, bool or string), or null after reporting an error.</summary>
    private JsonValue? CheckScalar(JsonNode? given, ScalarType type, IReadOnlyList<string>? values, string path, IEnumerable<string>? aliases = null)
    {
        var kind = given?.GetValueKind();
        switch (type)
        {
            case ScalarType.Int:
            case ScalarType.Long:
                if (kind == JsonValueKind.Number && TryGetInteger((JsonValue)given!, out var integer))
                {
                    if (type == ScalarType.Int && (integer < int.MinValue || integer > int.MaxValue))
                    {
                        Error(path, $"{integer} is out of the 32-bit integer range");
                        return null;
                    }

                    return JsonValue.Create(integer);
                }

                Error(path, $"expected an integer, got {Describe(given)}");
                return null;
            case ScalarType.Number:
                if (kind == JsonValueKind.Number && TryGetDouble((JsonValue)given!, out var number) && double.IsFinite(number))
                {
                    return JsonValue.Create(number);
                }

                Error(path, $"expected a number, got {Describe(given)}");
                return null;
            case ScalarType.Bool:
                if (kind is JsonValueKind.True or JsonValueKind.False)
                {
                    return JsonValue.Create(kind == JsonValueKind.True);
                }

                Error(path, $"expected true or false, got {Describe(given)}");
                return null;
            case ScalarType.String:
                if (kind == JsonValueKind.String)
                {
                    return JsonValue.Create(given!.GetValue<string>());
                }

                Error(path, $"expected a string, got {Describe(given)}");
                return null;
            case ScalarType.Enum:
                if (kind == JsonValueKind.String && values!.Contains(given!.GetValue<string>()))
                {
                    return JsonValue.Create(given!.GetValue<string>());
                }

                var shown = kind == JsonValueKind.String ? $"'{given!.GetValue<string>()}'" : Describe(given);
                var old = aliases?.ToList() ?? [];
                Error(path, $"unknown value {shown}; valid values: {string.Join(", ", values!)}" + (old.Count > 0 ? $" (old names also read: {string.Join(", ", old)})" : string.Empty));
                return null;
            default:
                throw new InvalidOperationException("Unknown scalar type");
        }
    }

    private JsonArray ResolveList(JsonNode? given, ListSchema schema, string path)
    {
        if (given is not JsonArray array)
        {
            Error(path, $"expected a list, got {Describe(given)}");
            return (JsonArray)schema.CreateDefault();
        }

        if (schema.Length is { } length && array.Count != length)
        {
            Error(path, $"expected a list of {length} items, got {array.Count}");
            return (JsonArray)schema.CreateDefault();
        }

        var result = new JsonArray();
        var failed = false;
        for (var i = 0; i < array.Count; i++)
        {
            var item = CheckScalar(array[i], schema.ItemType, null, $"{path}[{i}]");
            failed |= item is null;
            result.Add(item);
        }

        return failed ? (JsonArray)schema.CreateDefault() : result;
    }

    private JsonArray ResolveStages(JsonNode? given, string path)
    {
        var result = new JsonArray();
        if (given is null)
        {
            return result;
        }

        if (given is not JsonArray array)
        {
            Error(path, $"expected a list of stages, got {Describe(given)}");
            return result;
        }

        string[] stageKeys = ["from_epoch", "loss_weights", "lr", "fresh_optimizer"];
        for (var i = 0; i < array.Count; i++)
        {
            var stagePath = $"{path}[{i}]";
            if (array[i] is not JsonObject stage)
            {
                Error(stagePath, $"expected a stage {{from_epoch, loss_weights, lr, fresh_optimizer}}, got {Describe(array[i])}");
                continue;
            }

            foreach (var (key, _) in stage)
            {
                if (!stageKeys.Contains(key))
                {
                    Error(Join(stagePath, key), $"unknown key; did you mean '{Closest(key, stageKeys)}'? (valid keys here: {string.Join(", ", stageKeys)})");
                }
            }

            var resolved = new JsonObject();
            if (!stage.TryGetPropertyValue("from_epoch", out var fromEpoch))
            {
                Error(Join(stagePath, "from_epoch"), "missing: every stage needs the 1-based epoch it starts at");
            }
            else
            {
                resolved["from_epoch"] = CheckScalar(fromEpoch, ScalarType.Int, null, Join(stagePath, "from_epoch"));
            }

            var weights = new JsonObject();
            var weightsPath = Join(stagePath, "loss_weights");
            if (stage.TryGetPropertyValue("loss_weights", out var givenWeights) && givenWeights is not null)
            {
                if (givenWeights is not JsonObject weightObject)
                {
                    Error(weightsPath, $"expected a mapping of loss weights, got {Describe(givenWeights)}");
                }
                else
                {
                    foreach (var (key, value) in weightObject)
                    {
                        if (!TrialSchema.LossWeightKeys.Contains(key))
                        {
                            Error(Join(weightsPath, key), $"unknown key; did you mean '{Closest(key, TrialSchema.LossWeightKeys)}'? (valid keys here: {string.Join(", ", TrialSchema.LossWeightKeys)})");
                            continue;
                        }

                        if (CheckScalar(value, ScalarType.Number, null, Join(weightsPath, key)) is { } checkedValue)
                        {
                            weights[key] = checkedValue;
                        }
                    }
                }
            }

            // Keys in the canonical order, so the tree (and the trial id) does not depend on how the file ordered them.
            var ordered = new JsonObject();
            foreach (var key in TrialSchema.LossWeightKeys)
            {
                if (weights.TryGetPropertyValue(key, out var value))
                {
                    ordered[key] = value!.DeepClone();
                }
            }

            resolved["loss_weights"] = ordered;
            if (stage.TryGetPropertyValue("lr", out var lr) && lr is not null
                && CheckScalar(lr, ScalarType.Number, null, Join(stagePath, "lr")) is { } checkedLr)
            {
                resolved["lr"] = checkedLr;
            }

            // Written only when true, so a stage without a new phase keeps the same tree (and trial id).
            if (stage.TryGetPropertyValue("fresh_optimizer", out var fresh) && fresh is not null
                && CheckScalar(fresh, ScalarType.Bool, null, Join(stagePath, "fresh_optimizer")) is { } checkedFresh
                && checkedFresh.GetValue<bool>())
            {
                resolved["fresh_optimizer"] = true;
            }

            if (resolved.ContainsKey("from_epoch") && resolved["from_epoch"] is not null)
            {
                result.Add(resolved);
            }
        }

        return result;
    }

    private void Error(string path, string message) => errors.Add($"{path}{where(path)}: {message}");

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    internal static bool TryGetInteger(JsonValue value, out long result)
    {
        if (value.TryGetValue(out long l))
        {
            result = l;
            return true;
        }

        if (value.TryGetValue(out int i))
        {
            result = i;
            return true;
        }

        if (TryGetDouble(value, out var d) && Math.Floor(d) == d && Math.Abs(d) < 9.0e15)
        {
            result = (long)d;
            return true;
        }

        result = 0;
        return false;
    }

    internal static bool TryGetDouble(JsonValue value, out double result)
    {
        if (value.TryGetValue(out double d))
        {
            result = d;
            return true;
        }

        if (value.TryGetValue(out long l))
        {
            result = l;
            return true;
        }

        if (value.TryGetValue(out int i))
        {
            result = i;
            return true;
        }

        if (value.TryGetValue(out float f))
        {
            result = f;
            return true;
        }

        if (value.TryGetValue(out decimal m))
        {
            result = (double)m;
            return true;
        }

        if (value.TryGetValue(out JsonElement element) && element.ValueKind == JsonValueKind.Number)
        {
            return element.TryGetDouble(out result);
        }

        result = 0;
        return false;
    }

    private static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "nothing (null)",
        JsonValueKind.String => $"the string \"{node!.GetValue<string>()}\"",
        JsonValueKind.Number => "the number " + node!.ToJsonString(),
        JsonValueKind.True or JsonValueKind.False => "the boolean " + node!.ToJsonString(),
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "a mapping",
        _ => node!.ToJsonString(),
    };

    /// <summary>The candidate nearest to <paramref name="key"/> by Levenshtein distance (first one on ties).</summary>
    internal static string Closest(string key, IEnumerable<string> candidates) =>
        candidates.MinBy(c => Levenshtein(key, c)) ?? string.Empty;

    internal static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
