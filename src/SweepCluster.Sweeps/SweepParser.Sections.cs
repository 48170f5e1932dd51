using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Sweeps;

/// <summary>The sections of a sweep file.</summary>
internal sealed partial class SweepParser
{
    private static readonly string[] StageKeys = ["from_epoch", "loss_weights", "lr", "fresh_optimizer"];

    private static readonly string[] RequiredStageKeys = ["from_epoch", "loss_weights"];
    private static readonly string[] RowKeys = ["name", "description", "preset", "overrides", "profiles", "schedule", "expect", "when", "early_stopping"];
    private static readonly string[] ExpectKeys = ["text", "verdict", "confident"];
    private static readonly string[] KeyAxisKeys = ["values", "when"];
    private static readonly string[] NamedAxisKeys = ["options", "when"];
    private static readonly string[] OptionKeys = ["label", "overrides"];
    private static readonly string[] RandomKeys = ["count", "seed", "parameters"];
    private static readonly string[] ParameterKeys = ["distribution", "low", "high", "values", "when"];
    private static readonly string[] ProfileKeys = ["description", "overrides", "seeds", "resources", "max_attempts", "priority", "grid", "schedules", "early_stopping"];
    private static readonly string[] ResourceKeys = ["gpus", "gpu_memory_gb", "labels"];
    private static readonly string[] ObjectiveKeys = ["metric", "goal"];

    private static readonly Dictionary<string, ExpectedVerdict> Verdicts = new(StringComparer.Ordinal)
    {
        ["pass"] = ExpectedVerdict.Pass,
        ["fail"] = ExpectedVerdict.Fail,
        ["partial"] = ExpectedVerdict.Partial,
    };

    private static readonly Dictionary<string, SweepReference> References = new(StringComparer.Ordinal)
    {
        ["noisy_input"] = SweepReference.NoisyInput,
        ["classical"] = SweepReference.Classical,
        ["supervised_cross"] = SweepReference.SupervisedCross,
    };

    private static readonly Dictionary<string, ObjectiveGoal> Goals = new(StringComparer.Ordinal)
    {
        ["maximize"] = ObjectiveGoal.Maximize,
        ["minimize"] = ObjectiveGoal.Minimize,
    };

    private static readonly Dictionary<string, DistributionKind> Distributions = new(StringComparer.Ordinal)
    {
        ["uniform"] = DistributionKind.Uniform,
        ["log_uniform"] = DistributionKind.LogUniform,
        ["int_uniform"] = DistributionKind.IntUniform,
        ["choice"] = DistributionKind.Choice,
    };

    private SweepObjective? ParseObjective(YamlNode node, string path)
    {
        var entries = Entries(node, path, ObjectiveKeys, "an objective");
        if (entries is null)
        {
            return null;
        }

        Require(node, entries, path, "metric", "goal");
        string? metric = null;
        ObjectiveGoal? goal = null;
        foreach (var (key, _, value) in entries)
        {
            if (key == "metric")
            {
                metric = ReadText(value, Join(path, key));
            }
            else
            {
                goal = ReadEnum(value, Join(path, key), Goals);
            }
        }

        return metric is not null && goal is not null ? new SweepObjective(metric, goal.Value) : null;
    }

    private Dictionary<string, JsonArray> ParseSchedules(YamlNode node, string path)
    {
        var schedules = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var (key, _, value) in Entries(node, path, allowed: null, "named schedules") ?? [])
        {
            var stages = ParseScheduleStages(value, Join(path, key));
            if (stages is not null)
            {
                schedules[key] = stages;
            }
        }

        return schedules;
    }

    /// <summary>A schedule name of the sweep, or an inline list of stages.</summary>
    private JsonNode? ParseScheduleValue(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && !IsNull(scalar))
        {
            var name = scalar.Value!;
            if (_scheduleNames.Contains(name))
            {
                return JsonValue.Create(name);
            }

            var available = _scheduleNames.Count == 0 ? "the sweep defines no `schedules`" : $"available: {string.Join(", ", _scheduleNames)}";
            Error(node, path, $"no schedule named `{name}`{Suggestions.DidYouMean(name, _scheduleNames)} ({available})");
            return null;
        }

        if (node is YamlSequenceNode)
        {
            return ParseScheduleStages(node, path);
        }

        Error(node, path, $"expected a schedule name or a list of stages, found {Describe(node)}");
        return null;
    }

    /// <summary>The <c>trainer.schedule</c> list format of docs/trial-config.md.</summary>
    private JsonArray? ParseScheduleStages(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list of stages ({{from_epoch, loss_weights, lr, fresh_optimizer}}), found {Describe(node)}");
            return null;
        }

        var weightKeys = (ConfigTree.Get(_defaults, "trainer.loss_weights", out _) as JsonObject)?.Select(p => p.Key).ToList() ?? [];
        var stages = new JsonArray();
        var ok = true;
        long previous = 0;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var stagePath = $"{path}[{i}]";
            var stageNode = sequence.Children[i];
            var entries = Entries(stageNode, stagePath, StageKeys, "a schedule stage");
            if (entries is null)
            {
                ok = false;
                continue;
            }

            Require(stageNode, entries, stagePath, RequiredStageKeys);
            var stage = new JsonObject();
            foreach (var (key, _, value) in entries)
            {
                if (key == "from_epoch")
                {
                    var epoch = ReadInteger(value, Join(stagePath, key), 1);
                    if (epoch is not null && epoch <= previous)
                    {
                        Error(value, Join(stagePath, key), $"stages must start at increasing epochs; {epoch} follows {previous}");
                        ok = false;
                    }

                    previous = epoch ?? previous;
                    stage["from_epoch"] = epoch;
                    ok &= epoch is not null;
                    continue;
                }

                if (key == "lr")
                {
                    var lr = ReadNumber(value, Join(stagePath, key));
                    if (lr is not null and <= 0)
                    {
                        Error(value, Join(stagePath, key), $"a stage's learning rate must be positive, found {lr}");
                        lr = null;
                    }

                    stage["lr"] = lr;
                    ok &= lr is not null;
                    continue;
                }

                if (key == "fresh_optimizer")
                {
                    var fresh = ReadBool(value, Join(stagePath, key));
                    stage["fresh_optimizer"] = fresh;
                    ok &= fresh is not null;
                    continue;
                }

                var weights = new JsonObject();
                foreach (var (weightKey, weightKeyNode, weightValue) in Entries(value, Join(stagePath, key), weightKeys, "loss weights") ?? [])
                {
                    var weight = ReadNumber(weightValue, Join(Join(stagePath, key), weightKey));
                    ok &= weight is not null;
                    weights[weightKey] = weight;
                }

                ok &= value is YamlMappingNode mapping && mapping.Children.Count == weights.Count;
                stage["loss_weights"] = weights;
            }

            stages.Add(stage);
        }

        return ok ? stages : null;
    }

    private Condition? ParseCondition(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar || IsNull(scalar))
        {
            Error(node, path, $"expected a condition such as `model.skip_mode == additive`, found {Describe(node)}");
            return null;
        }

        Condition condition;
        try
        {
            condition = Condition.Parse(scalar.Value!);
        }
        catch (ConditionSyntaxException ex)
        {
            Error(LocInside(node, ex.Offset), path, $"malformed condition: {ex.Message} (at offset {ex.Offset} of `{scalar.Value}`)");
            return null;
        }

        var ok = true;
        foreach (var comparison in condition.Comparisons)
        {
            var keyText = comparison.Path;
            var errorsBefore = _errors.Count;
            var configPath = ResolveConditionPath(node, comparison, path, out var defaultNode);
            if (configPath is null)
            {
                ok = false;
                continue;
            }

            foreach (var literal in comparison.Literals)
            {
                if (defaultNode is JsonValue && literal.Value is not null &&
                    ConfigTree.KindName(defaultNode) != ConfigTree.KindName(literal.Value))
                {
                    Error(LocInside(node, literal.Offset), path,
                        $"`{keyText}` holds {ConfigTree.KindName(defaultNode)}, but `{scalar.Value!.Substring(literal.Offset, literal.Length)}` is {ConfigTree.KindName(literal.Value)}");
                    ok = false;
                    continue;
                }

                if (literal.Value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    var allowed = _schema.AllowedValues(configPath);
                    if (allowed is not null && !allowed.Contains(text, StringComparer.Ordinal))
                    {
                        Error(LocInside(node, literal.Offset), path,
                            $"unknown value `{text}` for `{configPath}`{Suggestions.DidYouMean(text, allowed)} (valid values: {string.Join(", ", allowed)})");
                        ok = false;
                    }
                }
            }

            ok &= _errors.Count == errorsBefore;
        }

        return ok ? condition : null;
    }

    private string? ResolveConditionPath(YamlNode node, ComparisonNode comparison, string path, out JsonNode? defaultNode) =>
        ResolveConfigPath(string.Empty, comparison.Path, node, path, out defaultNode, comparison.PathOffset);

    private Expectation? ParseExpect(YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            var text = ReadText(node, path);
            return text is null ? null : new Expectation(text, null);
        }

        var entries = Entries(node, path, ExpectKeys, "an expectation (text, or {text, verdict, confident})");
        if (entries is null)
        {
            return null;
        }

        Require(node, entries, path, "text");
        string? expectText = null;
        ExpectedVerdict? verdict = null;
        var confident = true;
        foreach (var (key, _, value) in entries)
        {
            switch (key)
            {
                case "text":
                    expectText = ReadText(value, Join(path, key));
                    break;
                case "verdict":
                    verdict = ReadEnum(value, Join(path, key), Verdicts);
                    break;
                default:
                    confident = ReadBool(value, Join(path, key)) ?? true;
                    break;
            }
        }

        return expectText is null ? null : new Expectation(expectText, verdict, confident);
    }

    private List<MatrixRow> ParseMatrix(YamlNode node, string path)
    {
        var rows = new List<MatrixRow>();
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list of rows (each with a `name`), found {Describe(node)}");
            return rows;
        }

        var names = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var rowNode = sequence.Children[i];
            var rowPath = $"{path}[{i}]";
            var entries = Entries(rowNode, rowPath, RowKeys, "a matrix row");
            if (entries is null)
            {
                continue;
            }

            Require(rowNode, entries, rowPath, "name");
            string? name = null;
            var overrides = new List<ConfigOverride>();
            var profileOverrides = new Dictionary<string, IReadOnlyList<ConfigOverride>>(StringComparer.Ordinal);
            ConfigOverride? schedule = null;
            Expectation? expect = null;
            Condition? when = null;
            SweepPreset? preset = null;
            var earlyStopping = true;
            foreach (var (key, keyNode, value) in entries)
            {
                var entryPath = Join(rowPath, key);
                switch (key)
                {
                    case "name":
                        name = ReadName(value, entryPath);
                        if (name is not null && !names.TryAdd(name, Loc(value)))
                        {
                            Error(value, entryPath, $"duplicate row name `{name}` (first at line {names[name].Line})");
                        }

                        break;
                    case "description":
                        ReadText(value, entryPath);
                        break;
                    case "preset":
                        preset = ParsePresetReference(value, entryPath);
                        break;
                    case "overrides":
                        ParseOverrideMap(value, entryPath, string.Empty, overrides);
                        break;
                    case "profiles":
                        foreach (var (profileName, profileKeyNode, profileValue) in Entries(value, entryPath, allowed: null, "overrides per profile") ?? [])
                        {
                            if (!_profileNames.Contains(profileName))
                            {
                                Error(profileKeyNode, Join(entryPath, profileName), UnknownProfile(profileName));
                                continue;
                            }

                            var list = new List<ConfigOverride>();
                            ParseOverrideMap(profileValue, Join(entryPath, profileName), string.Empty, list);
                            profileOverrides[profileName] = list;
                        }

                        break;
                    case "schedule":
                        var scheduleValue = ParseScheduleValue(value, entryPath);
                        if (scheduleValue is not null)
                        {
                            schedule = new ConfigOverride(ScheduleKey, scheduleValue, Loc(value));
                        }

                        break;
                    case "expect":
                        expect = ParseExpect(value, entryPath);
                        break;
                    case "early_stopping":
                        earlyStopping = ParseRowEarlyStopping(value, entryPath);
                        break;
                    default:
                        when = ParseCondition(value, entryPath);
                        break;
                }
            }

            if (schedule is not null && overrides.Any(o => o.Path == ScheduleKey))
            {
                Error(schedule.Location, Join(rowPath, "schedule"), $"the row sets `{ScheduleKey}` in its overrides too; keep one of the two");
            }

            if (name is not null)
            {
                rows.Add(new MatrixRow(name, overrides, profileOverrides, schedule, expect, when, Loc(rowNode)) { Preset = preset, EarlyStopping = earlyStopping });
            }
        }

        return rows;
    }

    private string? ReadName(YamlNode node, string path)
    {
        var name = ReadText(node, path);
        if (name is not null && name.Trim().Length == 0)
        {
            Error(node, path, "a name must not be blank");
            return null;
        }

        return name;
    }

    /// <summary>Grid axes; in a profile (<paramref name="topLevel"/> given) each must replace a sweep axis.</summary>
    private List<GridAxis> ParseGrid(YamlNode node, string path, IReadOnlyList<GridAxis>? topLevel)
    {
        var axes = new List<GridAxis>();
        foreach (var (key, keyNode, value) in Entries(node, path, allowed: null, "grid axes") ?? [])
        {
            var axisPath = Join(path, key);
            if (topLevel is not null && !topLevel.Any(a => a.Name == key))
            {
                var names = topLevel.Select(a => a.Name).ToList();
                Error(keyNode, axisPath,
                    $"a profile's grid replaces axes of the sweep's grid, and it has no axis `{key}`{Suggestions.DidYouMean(key, names)} (axes: {(names.Count == 0 ? "none" : string.Join(", ", names))})");
                continue;
            }

            var axis = IsConfigPath(key)
                ? ParseKeyAxis(key, keyNode, value, axisPath)
                : value is YamlMappingNode mapping && mapping.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "options")
                    ? ParseNamedAxis(key, keyNode, value, axisPath)
                    : ReportUnknownAxis(key, keyNode, axisPath);
            if (axis is not null)
            {
                axes.Add(axis);
            }
        }

        return axes;
    }

    private GridAxis? ReportUnknownAxis(string key, YamlScalarNode keyNode, string axisPath)
    {
        var errorsBefore = _errors.Count;
        ResolveConfigPath(string.Empty, key, keyNode, axisPath, out _);
        if (_errors.Count > errorsBefore)
        {
            _errors[^1] = _errors[^1] with { Message = $"{_errors[^1].Message}; a named axis (not a config key) needs `options:`" };
        }

        return null;
    }

    private GridAxis? ParseKeyAxis(string key, YamlScalarNode keyNode, YamlNode value, string axisPath)
    {
        var defaultNode = ConfigTree.Get(_defaults, key, out _);
        YamlNode? valuesNode = value;
        Condition? when = null;
        if (value is YamlMappingNode)
        {
            valuesNode = null;
            var entries = Entries(value, axisPath, KeyAxisKeys, "a grid axis");
            if (entries is null)
            {
                return null;
            }

            Require(value, entries, axisPath, "values");
            foreach (var (entryKey, _, entryValue) in entries)
            {
                if (entryKey == "values")
                {
                    valuesNode = entryValue;
                }
                else
                {
                    when = ParseCondition(entryValue, Join(axisPath, entryKey));
                }
            }
        }

        if (valuesNode is null)
        {
            return null;
        }

        if (valuesNode is not YamlSequenceNode sequence)
        {
            Error(valuesNode, axisPath, $"expected a list of values for the grid axis `{key}`, found {Describe(valuesNode)}");
            return null;
        }

        if (sequence.Children.Count == 0)
        {
            Error(valuesNode, axisPath, $"empty grid list: the axis `{key}` needs at least one value");
            return null;
        }

        var values = new List<GridValue>();
        var errorsBefore = _errors.Count;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var overrides = new List<ConfigOverride>();
            ParseValueAt(key, defaultNode, item, $"{axisPath}[{i}]", overrides);
            values.Add(new GridValue(LabelOf(item), overrides, Loc(item)));
        }

        return _errors.Count == errorsBefore ? new GridAxis(key, IsKey: true, values, when, Loc(keyNode)) : null;
    }

    private GridAxis? ParseNamedAxis(string key, YamlScalarNode keyNode, YamlNode value, string axisPath)
    {
        var entries = Entries(value, axisPath, NamedAxisKeys, "a named grid axis");
        if (entries is null)
        {
            return null;
        }

        Condition? when = null;
        var values = new List<GridValue>();
        var errorsBefore = _errors.Count;
        foreach (var (entryKey, _, entryValue) in entries)
        {
            var entryPath = Join(axisPath, entryKey);
            if (entryKey == "when")
            {
                when = ParseCondition(entryValue, entryPath);
                continue;
            }

            if (entryValue is not YamlSequenceNode options)
            {
                Error(entryValue, entryPath, $"expected a list of options ({{label, overrides}}), found {Describe(entryValue)}");
                continue;
            }

            if (options.Children.Count == 0)
            {
                Error(entryValue, entryPath, $"empty grid list: the axis `{key}` needs at least one option");
                continue;
            }

            var labels = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < options.Children.Count; i++)
            {
                var optionNode = options.Children[i];
                var optionPath = $"{entryPath}[{i}]";
                var optionEntries = Entries(optionNode, optionPath, OptionKeys, "a grid option");
                if (optionEntries is null)
                {
                    continue;
                }

                Require(optionNode, optionEntries, optionPath, OptionKeys);
                string? label = null;
                var overrides = new List<ConfigOverride>();
                foreach (var (optionKey, _, optionValue) in optionEntries)
                {
                    if (optionKey == "label")
                    {
                        label = ReadName(optionValue, Join(optionPath, optionKey));
                        if (label is not null && !labels.Add(label))
                        {
                            Error(optionValue, Join(optionPath, optionKey), $"duplicate option label `{label}` in the axis `{key}`");
                        }
                    }
                    else
                    {
                        ParseOverrideMap(optionValue, Join(optionPath, optionKey), string.Empty, overrides);
                    }
                }

                if (label is not null)
                {
                    values.Add(new GridValue(label, overrides, Loc(optionNode)));
                }
            }
        }

        return _errors.Count == errorsBefore && values.Count > 0 ? new GridAxis(key, IsKey: false, values, when, Loc(keyNode)) : null;
    }

    private RandomSearch? ParseRandom(YamlNode node, string path)
    {
        var entries = Entries(node, path, RandomKeys, "a random search");
        if (entries is null)
        {
            return null;
        }

        Require(node, entries, path, RandomKeys);
        long? count = null;
        long? seed = null;
        var parameters = new List<RandomParameter>();
        var errorsBefore = _errors.Count;
        foreach (var (key, _, value) in entries)
        {
            var entryPath = Join(path, key);
            switch (key)
            {
                case "count":
                    count = ReadInteger(value, entryPath, 1);
                    if (count > 100_000)
                    {
                        Error(value, entryPath, "at most 100000 random samples");
                    }

                    break;
                case "seed":
                    seed = ReadInteger(value, entryPath, 0);
                    break;
                default:
                    foreach (var (paramKey, paramKeyNode, paramValue) in Entries(value, entryPath, allowed: null, "random parameters") ?? [])
                    {
                        var parameter = ParseRandomParameter(paramKey, paramKeyNode, paramValue, Join(entryPath, paramKey));
                        if (parameter is not null)
                        {
                            parameters.Add(parameter);
                        }
                    }

                    break;
            }
        }

        return _errors.Count == errorsBefore && count is not null && seed is not null
            ? new RandomSearch((int)count.Value, (ulong)seed.Value, parameters, Loc(node))
            : null;
    }

    private RandomParameter? ParseRandomParameter(string key, YamlScalarNode keyNode, YamlNode value, string path)
    {
        var configPath = ResolveConfigPath(string.Empty, key, keyNode, path, out var defaultNode);
        var entries = Entries(value, path, ParameterKeys, "a distribution ({distribution, low, high} or {distribution: choice, values})");
        if (configPath is null || entries is null)
        {
            return null;
        }

        Require(value, entries, path, "distribution");
        var errorsBefore = _errors.Count;
        DistributionKind? kind = null;
        double? low = null;
        double? high = null;
        YamlNode? valuesNode = null;
        Condition? when = null;
        foreach (var (entryKey, _, entryValue) in entries)
        {
            var entryPath = Join(path, entryKey);
            switch (entryKey)
            {
                case "distribution":
                    kind = ReadEnum(entryValue, entryPath, Distributions);
                    break;
                case "low":
                    low = ReadNumber(entryValue, entryPath);
                    break;
                case "high":
                    high = ReadNumber(entryValue, entryPath);
                    break;
                case "values":
                    valuesNode = entryValue;
                    break;
                default:
                    when = ParseCondition(entryValue, entryPath);
                    break;
            }
        }

        if (kind is null)
        {
            return null;
        }

        var choices = new List<JsonNode?>();
        if (kind == DistributionKind.Choice)
        {
            if (valuesNode is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                Error(valuesNode ?? value, path, "a `choice` needs a non-empty `values` list");
                return null;
            }

            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var list = new List<ConfigOverride>();
                ParseValueAt(configPath, defaultNode, sequence.Children[i], $"{path}.values[{i}]", list);
                if (list.Count == 1)
                {
                    choices.Add(list[0].Value);
                }
            }
        }
        else
        {
            if (valuesNode is not null)
            {
                Error(valuesNode, Join(path, "values"), "`values` belongs to `choice`; ranges take `low` and `high`");
            }

            if (ConfigTree.KindName(defaultNode) != "a number")
            {
                Error(keyNode, path, $"a numeric distribution needs a numeric key, and `{configPath}` holds {ConfigTree.KindName(defaultNode)}");
            }

            if (low is null || high is null)
            {
                Error(value, path, "a range needs both `low` and `high`");
            }
            else if (kind == DistributionKind.IntUniform ? low > high : low >= high)
            {
                Error(value, path, $"`low` ({low}) must be below `high` ({high})");
            }
            else if (kind == DistributionKind.LogUniform && low <= 0)
            {
                Error(value, path, "`log_uniform` needs `low` > 0");
            }
            else if (kind == DistributionKind.IntUniform && (low != Math.Floor(low.Value) || high != Math.Floor(high.Value)))
            {
                Error(value, path, "`int_uniform` needs whole-number bounds");
            }
        }

        return _errors.Count == errorsBefore
            ? new RandomParameter(configPath, kind.Value, low ?? 0, high ?? 0, choices, when, Loc(keyNode))
            : null;
    }

    private List<SweepReference> ParseReferences(YamlNode node, string path)
    {
        var references = new List<SweepReference>();
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list of references ({string.Join(", ", References.Keys)}), found {Describe(node)}");
            return references;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (ReadEnum(sequence.Children[i], itemPath, References) is not { } reference)
            {
                continue;
            }

            if (references.Contains(reference))
            {
                Error(sequence.Children[i], itemPath, $"reference `{References.First(r => r.Value == reference).Key}` is listed twice");
                continue;
            }

            references.Add(reference);
        }

        return references;
    }

    private List<long>? ParseSeeds(YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            var count = ReadInteger(node, path, 1);
            if (count > 10_000)
            {
                Error(node, path, "at most 10000 seeds");
                return null;
            }

            return count is null ? null : Enumerable.Range(0, (int)count.Value).Select(i => (long)i).ToList();
        }

        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Error(node, path, $"expected a seed count or a non-empty list of seeds, found {Describe(node)}");
            return null;
        }

        var seeds = new List<long>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var seed = ReadInteger(sequence.Children[i], $"{path}[{i}]", 0);
            if (seed is null)
            {
                continue;
            }

            if (seeds.Contains(seed.Value))
            {
                Error(sequence.Children[i], $"{path}[{i}]", $"seed {seed} is listed twice");
                continue;
            }

            seeds.Add(seed.Value);
        }

        return seeds.Count == sequence.Children.Count ? seeds : null;
    }

    private ResourceRequest? ParseResources(YamlNode node, string path)
    {
        var entries = Entries(node, path, ResourceKeys, "a resource request");
        if (entries is null)
        {
            return null;
        }

        var request = ResourceRequest.None;
        foreach (var (key, _, value) in entries)
        {
            var entryPath = Join(path, key);
            switch (key)
            {
                case "gpus":
                    request = request with { Gpus = (int)(ReadInteger(value, entryPath, 0) ?? 0) };
                    break;
                case "gpu_memory_gb":
                    var memory = ReadNumber(value, entryPath) ?? 0;
                    if (memory < 0)
                    {
                        Error(value, entryPath, "expected a number >= 0");
                    }

                    request = request with { GpuMemoryGb = memory };
                    break;
                default:
                    var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var (labelKey, _, labelValue) in Entries(value, entryPath, allowed: null, "labels") ?? [])
                    {
                        var text = ReadText(labelValue, Join(entryPath, labelKey));
                        if (text is not null)
                        {
                            labels[labelKey] = text;
                        }
                    }

                    request = request with { Labels = labels };
                    break;
            }
        }

        return request;
    }

    private SweepProfile? ParseProfile(string name, YamlNode node, string path, IReadOnlyList<GridAxis> topGrid, IReadOnlyDictionary<string, JsonArray> topSchedules)
    {
        var entries = Entries(node, path, ProfileKeys, "a profile");
        if (entries is null)
        {
            return null;
        }

        var overrides = new List<ConfigOverride>();
        List<long>? seeds = null;
        ResourceRequest? resources = null;
        int? maxAttempts = null;
        int? priority = null;
        var grid = new List<GridAxis>();
        var schedules = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        EarlyStoppingBlock? earlyStopping = null;
        foreach (var (key, _, value) in entries)
        {
            var entryPath = Join(path, key);
            switch (key)
            {
                case "description":
                    ReadText(value, entryPath);
                    break;
                case "early_stopping":
                    earlyStopping = ParseProfileEarlyStopping(value, entryPath);
                    break;
                case "overrides":
                    ParseOverrideMap(value, entryPath, string.Empty, overrides);
                    break;
                case "seeds":
                    seeds = ParseSeeds(value, entryPath);
                    break;
                case "resources":
                    resources = ParseResources(value, entryPath);
                    break;
                case "max_attempts":
                    maxAttempts = (int?)ReadInteger(value, entryPath, 1);
                    break;
                case "priority":
                    priority = (int?)ReadInteger(value, entryPath, int.MinValue);
                    break;
                case "grid":
                    grid = ParseGrid(value, entryPath, topGrid);
                    break;
                default:
                    foreach (var (scheduleName, scheduleKeyNode, scheduleValue) in Entries(value, entryPath, allowed: null, "named schedules") ?? [])
                    {
                        if (!topSchedules.ContainsKey(scheduleName))
                        {
                            Error(scheduleKeyNode, Join(entryPath, scheduleName),
                                $"a profile's schedules replace schedules of the sweep, and it has no schedule `{scheduleName}`{Suggestions.DidYouMean(scheduleName, topSchedules.Keys)}");
                            continue;
                        }

                        var stages = ParseScheduleStages(scheduleValue, Join(entryPath, scheduleName));
                        if (stages is not null)
                        {
                            schedules[scheduleName] = stages;
                        }
                    }

                    break;
            }
        }

        return new SweepProfile(name, overrides, seeds, resources, maxAttempts, priority, grid, schedules, Loc(node)) { EarlyStopping = earlyStopping };
    }

    private string UnknownProfile(string name) =>
        _profileNames.Count == 0
            ? $"no profile named `{name}`: the sweep defines no `profiles`"
            : $"no profile named `{name}`{Suggestions.DidYouMean(name, _profileNames)} (available: {string.Join(", ", _profileNames)})";
}
