using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Sweeps;

/// <summary>
/// Turns sweep YAML into a <see cref="SweepSpec"/>, collecting every problem with its position.
/// One instance parses one file; a preset file the sweep names gets an instance of its own.
/// </summary>
internal sealed partial class SweepParser
{
    private static readonly string[] TopKeys =
    [
        "name", "description", "question", "objective", "preset", "base", "matrix", "grid", "random", "seeds",
        "schedules", "when", "profiles", "default_profile", "resources", "max_attempts", "priority", "references",
        "early_stopping",
    ];

    private readonly string _file;
    private readonly ITrialConfigSchema _schema;
    private readonly JsonObject _defaults;
    private readonly List<SweepError> _errors = [];
    private readonly List<string> _scheduleNames = [];
    private readonly List<string> _profileNames = [];
    private readonly bool _isPreset;

    public SweepParser(string file, ITrialConfigSchema schema)
        : this(file, schema, [], isPreset: false)
    {
    }

    private SweepParser(string file, ITrialConfigSchema schema, IEnumerable<string> scheduleNames, bool isPreset)
    {
        _file = file;
        _schema = schema;
        _defaults = schema.CreateDefaults();
        _scheduleNames.AddRange(scheduleNames);
        _isPreset = isPreset;
    }

    /// <summary>"sweep" or "preset", for messages about the whole file.</summary>
    private string Kind => _isPreset ? "preset" : "sweep";

    public SweepLoadResult Parse(string text)
    {
        var root = LoadRoot(text);
        if (root is null)
        {
            return new SweepLoadResult(null, _errors);
        }

        var spec = ParseSpec(root);
        return _errors.Count == 0 && _presetErrors.Count == 0 && spec is not null
            ? new SweepLoadResult(spec, [])
            : new SweepLoadResult(null, [.. SortedErrors(), .. _presetErrors]);
    }

    private List<SweepError> SortedErrors() => [.. _errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];

    private YamlNode? LoadRoot(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            // The innermost message names the actual problem; the outer ones only wrap it.
            var inner = ex;
            while (inner.InnerException is YamlException deeper)
            {
                inner = deeper;
            }

            var line = checked((int)Math.Max(1, ex.Start.Line));
            var column = checked((int)Math.Max(1, ex.Start.Column));
            _errors.Add(new SweepError(_file, line, column, string.Empty, $"YAML syntax error: {inner.Message}"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // The scanner fails this way on some truncated input (an unclosed flow collection);
            // the last event it produced is the best position there is.
            var mark = LastGoodMark(text);
            _errors.Add(new SweepError(_file, checked((int)mark.Line), checked((int)mark.Column), string.Empty,
                "YAML syntax error: the text ends inside an unclosed '{' or '[' (or another unfinished construct) after this point"));
            return null;
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            var needs = _isPreset ? "`overrides`" : "at least a `name`";
            _errors.Add(new SweepError(_file, 1, 1, string.Empty, $"the {Kind} file is empty; it needs {needs}"));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            _errors.Add(SweepError.At(Loc(stream.Documents[1].RootNode), string.Empty, $"a {Kind} file holds one YAML document; found another one here"));
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    private static Mark LastGoodMark(string text)
    {
        var parser = new Parser(new StringReader(text));
        var mark = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                mark = parser.Current!.End;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or YamlException)
        {
            // Stop at the first event the parser cannot produce.
        }

        return mark.Line < 1 ? new Mark(0, 1, 1) : mark;
    }

    private SweepSpec? ParseSpec(YamlNode root)
    {
        var entries = Entries(root, string.Empty, TopKeys, "a sweep");
        if (entries is null)
        {
            return null;
        }

        Require(root, entries, string.Empty, "name");
        YamlNode? Section(string key) => entries.FirstOrDefault(e => e.Key == key).Value;

        // Sections that others refer to come first: schedules by name, profiles by name, grid axes by name.
        var schedules = Section("schedules") is { } schedulesNode ? ParseSchedules(schedulesNode, "schedules") : [];
        _scheduleNames.AddRange(schedules.Keys);
        if (Section("schedules") is YamlMappingNode allSchedules)
        {
            // A schedule with errors still exists as a name, so references to it are not reported twice.
            _scheduleNames.AddRange(allSchedules.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(k => !schedules.ContainsKey(k)));
        }

        if (Section("profiles") is YamlMappingNode profileNames)
        {
            _profileNames.AddRange(profileNames.Children.Keys.OfType<YamlScalarNode>().Where(k => !string.IsNullOrEmpty(k.Value)).Select(k => k.Value!));
        }

        // After the schedule names: a preset's `trainer.schedule` may name one of the sweep's schedules.
        var preset = Section("preset") is { } presetNode ? ParsePresetReference(presetNode, "preset") : null;
        var baseOverrides = new List<ConfigOverride>();
        if (Section("base") is { } baseNode)
        {
            ParseOverrideMap(baseNode, "base", string.Empty, baseOverrides);
        }

        var grid = Section("grid") is { } gridNode ? ParseGrid(gridNode, "grid", topLevel: null) : [];
        var profiles = new List<SweepProfile>();
        if (Section("profiles") is { } profilesNode)
        {
            foreach (var (profileName, _, value) in Entries(profilesNode, "profiles", allowed: null, "profiles by name") ?? [])
            {
                var profile = ParseProfile(profileName, value, Join("profiles", profileName), grid, schedules);
                if (profile is not null)
                {
                    profiles.Add(profile);
                }
            }
        }

        string? name = null;
        string? description = null;
        string? question = null;
        SweepObjective? objective = null;
        List<MatrixRow> matrix = [];
        RandomSearch? random = null;
        List<long>? seeds = null;
        Condition? when = null;
        string? defaultProfile = null;
        var resources = ResourceRequest.None;
        var maxAttempts = 3;
        var priority = 0;
        List<SweepReference> references = [];
        EarlyStoppingBlock? earlyStopping = null;
        foreach (var (key, _, value) in entries)
        {
            switch (key)
            {
                case "name":
                    name = ReadName(value, key);
                    if (name is not null && name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
                    {
                        Error(value, key, $"a sweep name may hold letters, digits, '_', '-' and '.', found `{name}`");
                    }

                    break;
                case "description":
                    description = ReadText(value, key);
                    break;
                case "question":
                    question = ReadText(value, key);
                    break;
                case "objective":
                    objective = ParseObjective(value, key);
                    break;
                case "matrix":
                    matrix = ParseMatrix(value, key);
                    break;
                case "random":
                    random = ParseRandom(value, key);
                    break;
                case "seeds":
                    seeds = ParseSeeds(value, key);
                    break;
                case "when":
                    when = ParseCondition(value, key);
                    break;
                case "default_profile":
                    defaultProfile = ReadText(value, key);
                    if (defaultProfile is not null && !_profileNames.Contains(defaultProfile))
                    {
                        Error(value, key, UnknownProfile(defaultProfile));
                    }

                    break;
                case "resources":
                    resources = ParseResources(value, key) ?? resources;
                    break;
                case "max_attempts":
                    maxAttempts = (int)(ReadInteger(value, key, 1) ?? 3);
                    break;
                case "priority":
                    priority = (int)(ReadInteger(value, key, int.MinValue) ?? 0);
                    break;
                case "references":
                    references = ParseReferences(value, key);
                    break;
                case "early_stopping":
                    earlyStopping = ParseEarlyStopping(value, key, inProfile: false);
                    break;
            }
        }

        CheckEarlyStopping(earlyStopping, profiles, objective);

        if (name is null)
        {
            return null;
        }

        return new SweepSpec
        {
            File = _file,
            Name = name,
            Description = description,
            Question = question,
            Objective = objective,
            Preset = preset,
            Base = baseOverrides,
            Matrix = matrix,
            Grid = grid,
            Random = random,
            Seeds = seeds,
            Schedules = schedules,
            When = when,
            Profiles = profiles,
            DefaultProfile = defaultProfile,
            Resources = resources,
            MaxAttempts = maxAttempts,
            Priority = priority,
            References = references,
            EarlyStopping = earlyStopping,
            Location = Loc(root),
        };
    }
}
