using System.Globalization;
using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>
/// Expands a validated sweep into trials. Pure and deterministic: the same spec, profile and
/// schema give the same trials, in the same order, with the same ids, on every machine.
/// </summary>
/// <remarks>
/// For one trial the config is built in this order, later steps overriding earlier ones:
/// schema defaults, the top-level <c>preset</c>, <c>base</c>, the profile's overrides, the row's <c>preset</c>,
/// the row's overrides, the row's overrides for the profile, the row's <c>schedule</c>, grid values (first
/// axis first), random values, the seed.
/// Rows vary slowest, then grid points, then random samples, then seeds (so the seeds of one
/// configuration are adjacent).
/// </remarks>
public static class SweepExpander
{
    /// <summary>More trials than this is almost certainly a mistake in the grid.</summary>
    public const int MaxTrials = 100_000;

    /// <summary>The config name of a reference trial starts with this (<c>reference: supervised_cross</c>).</summary>
    public const string ReferencePrefix = "reference: ";

    private const string ModeKey = "trainer.mode";
    private const string SupervisedCrossMode = "supervised_cross";

    /// <summary>The pseudo-parameter that names a row's preset (not a config key).</summary>
    private const string PresetParameter = "preset";

    /// <summary>
    /// Expands <paramref name="spec"/> with the named profile, or its <c>default_profile</c> when
    /// <paramref name="profile"/> is null (no profile at all when it has none).
    /// </summary>
    public static SweepExpansion Expand(SweepSpec spec, string? profile, ITrialConfigSchema schema)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schema);
        var profileName = profile ?? spec.DefaultProfile;
        SweepProfile? selected = null;
        if (profileName is not null)
        {
            selected = spec.Profiles.FirstOrDefault(p => p.Name == profileName);
            if (selected is null)
            {
                var names = spec.Profiles.Select(p => p.Name).ToList();
                var message = names.Count == 0
                    ? $"no profile named `{profileName}`: the sweep defines no profiles"
                    : $"no profile named `{profileName}`{Suggestions.DidYouMean(profileName, names)} (available: {string.Join(", ", names)})";
                return new SweepExpansion([], [SweepError.At(spec.Location, "profile", message)], [], 0, profileName);
            }
        }

        return new Expansion(spec, selected, schema).Run();
    }

    /// <summary>One expansion's working state.</summary>
    private sealed class Expansion
    {
        private readonly SweepSpec _spec;
        private readonly SweepProfile? _profile;
        private readonly ITrialConfigSchema _schema;
        private readonly IReadOnlyList<GridAxis> _grid;
        private readonly Dictionary<string, JsonArray> _schedules;
        private readonly IReadOnlyList<long>? _seeds;
        private readonly List<string> _parameterKeys = [];
        private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
        private readonly List<List<JsonNode?>> _samples = [];
        private readonly List<Candidate> _candidates = [];
        private readonly List<SweepError> _errors = [];
        private readonly HashSet<string> _errorTexts = new(StringComparer.Ordinal);
        private int _skipped;

        public Expansion(SweepSpec spec, SweepProfile? profile, ITrialConfigSchema schema)
        {
            _spec = spec;
            _profile = profile;
            _schema = schema;
            _grid = spec.Grid.Select(axis => profile?.Grid.FirstOrDefault(p => p.Name == axis.Name) ?? axis).ToList();
            _schedules = new Dictionary<string, JsonArray>(spec.Schedules, StringComparer.Ordinal);
            foreach (var (name, stages) in profile?.Schedules ?? new Dictionary<string, JsonArray>())
            {
                _schedules[name] = stages;
            }

            _seeds = profile?.Seeds ?? spec.Seeds;
        }

        /// <summary>A resolved combination before ids and dedup.</summary>
        private sealed record Candidate(
            string ConfigName,
            long Seed,
            JsonObject Config,
            Dictionary<string, string> ScheduleNames,
            Expectation? Expect,
            Dictionary<string, SourceLocation> Provenance,
            SourceLocation Location,
            SweepReference? Reference = null,
            string? Preset = null,
            bool EarlyStopping = true);

        public SweepExpansion Run()
        {
            CollectParameterKeys();
            DrawSamples();
            if (_spec.References.Contains(SweepReference.SupervisedCross))
            {
                AddSupervisedCrossReference();
            }

            IReadOnlyList<MatrixRow?> rows = _spec.Matrix.Count > 0 ? [.. _spec.Matrix] : [null];
            foreach (var row in rows)
            {
                var state = new State(_schema.CreateDefaults());
                Apply(state, _spec.Preset?.Overrides ?? []);
                Apply(state, _spec.Base);
                Apply(state, _profile?.Overrides ?? []);
                if (row is not null)
                {
                    state.Parts.Add(row.Name);
                    Apply(state, row.Preset?.Overrides ?? []);
                    Apply(state, row.Overrides);
                    if (_profile is not null && row.ProfileOverrides.TryGetValue(_profile.Name, out var forProfile))
                    {
                        Apply(state, forProfile);
                    }

                    if (row.Schedule is not null)
                    {
                        Apply(state, [row.Schedule]);
                    }
                }

                ExpandGrid(state, row, 0);
                if (_candidates.Count > MaxTrials)
                {
                    _errors.Add(SweepError.At(_spec.Location, string.Empty, $"the sweep expands to more than {MaxTrials} trials"));
                    break;
                }
            }

            return _errors.Count > 0
                ? new SweepExpansion([], _errors, [], _skipped, _profile?.Name)
                : Finish();
        }

        /// <summary>The varied keys: row overrides, grid axes, random parameters, in that order.</summary>
        private void CollectParameterKeys()
        {
            void Add(string key)
            {
                if (!_parameterKeys.Contains(key))
                {
                    _parameterKeys.Add(key);
                }
            }

            foreach (var row in _spec.Matrix)
            {
                foreach (var o in row.Overrides)
                {
                    Add(o.Path);
                }

                if (_profile is not null && row.ProfileOverrides.TryGetValue(_profile.Name, out var forProfile))
                {
                    foreach (var o in forProfile)
                    {
                        Add(o.Path);
                    }
                }

                if (row.Schedule is not null)
                {
                    Add(row.Schedule.Path);
                }
            }

            var shortNamed = new List<string>();
            foreach (var axis in _grid)
            {
                if (axis.IsKey)
                {
                    Add(axis.Name);
                    shortNamed.Add(axis.Name);
                }
                else
                {
                    foreach (var o in axis.Values.SelectMany(v => v.Overrides))
                    {
                        Add(o.Path);
                    }

                    _labels[axis.Name] = axis.Name;
                }
            }

            foreach (var parameter in _spec.Random?.Parameters ?? [])
            {
                Add(parameter.Path);
                shortNamed.Add(parameter.Path);
            }

            // The shortest dotted suffix that tells the varied keys apart: `recon` for
            // trainer.loss_weights.recon, `encoder.latent_channels` when decoders vary too.
            foreach (var key in shortNamed)
            {
                var segments = key.Split('.');
                for (var take = 1; take <= segments.Length; take++)
                {
                    var suffix = string.Join('.', segments[^take..]);
                    var clash = shortNamed.Any(other => other != key && ("." + other).EndsWith("." + suffix, StringComparison.Ordinal));
                    if (!clash || take == segments.Length)
                    {
                        _labels[key] = suffix;
                        break;
                    }
                }
            }
        }

        private void DrawSamples()
        {
            if (_spec.Random is not { } random)
            {
                return;
            }

            var rng = new SplitMix64(random.Seed);
            for (var i = 0; i < random.Count; i++)
            {
                var sample = new List<JsonNode?>();
                foreach (var parameter in random.Parameters)
                {
                    sample.Add(Draw(rng, parameter));
                }

                _samples.Add(sample);
            }
        }

        private static JsonNode? Draw(SplitMix64 rng, RandomParameter parameter) => parameter.Distribution switch
        {
            DistributionKind.Uniform => JsonValue.Create(parameter.Low + ((parameter.High - parameter.Low) * rng.NextDouble())),
            DistributionKind.LogUniform => JsonValue.Create(Math.Exp(Math.Log(parameter.Low) + ((Math.Log(parameter.High) - Math.Log(parameter.Low)) * rng.NextDouble()))),
            DistributionKind.IntUniform => JsonValue.Create(rng.NextInclusive((long)parameter.Low, (long)parameter.High)),
            _ => parameter.Choices[(int)rng.NextInclusive(0, parameter.Choices.Count - 1)]?.DeepClone(),
        };

        /// <summary>A partly resolved trial: config, provenance and name parts so far.</summary>
        private sealed class State
        {
            public State(JsonObject config)
            {
                Config = config;
            }

            public JsonObject Config { get; }

            public Dictionary<string, SourceLocation> Provenance { get; } = new(StringComparer.Ordinal);

            public Dictionary<string, string> ScheduleNames { get; } = new(StringComparer.Ordinal);

            public List<string> Parts { get; } = [];

            public State Clone()
            {
                var copy = new State((JsonObject)Config.DeepClone());
                foreach (var (key, value) in Provenance)
                {
                    copy.Provenance[key] = value;
                }

                foreach (var (key, value) in ScheduleNames)
                {
                    copy.ScheduleNames[key] = value;
                }

                copy.Parts.AddRange(Parts);
                return copy;
            }
        }

        private void Apply(State state, IEnumerable<ConfigOverride> overrides)
        {
            foreach (var o in overrides)
            {
                var value = o.Value;
                if (o.Path == SweepParser.ScheduleKey && value is JsonValue nameValue && nameValue.TryGetValue<string>(out var scheduleName))
                {
                    value = _schedules[scheduleName];
                    state.ScheduleNames[o.Path] = scheduleName;
                }
                else
                {
                    state.ScheduleNames.Remove(o.Path);
                }

                ConfigTree.Set(state.Config, o.Path, value);
                state.Provenance[o.Path] = o.Location;
            }
        }

        private void ExpandGrid(State state, MatrixRow? row, int axisIndex)
        {
            if (axisIndex == _grid.Count)
            {
                ExpandRandom(state, row);
                return;
            }

            var axis = _grid[axisIndex];
            if (axis.When is not null && !axis.When.Evaluate(state.Config))
            {
                ExpandGrid(state, row, axisIndex + 1);
                return;
            }

            foreach (var value in axis.Values)
            {
                var next = state.Clone();
                Apply(next, value.Overrides);
                next.Parts.Add($"{_labels[axis.Name]}={value.Label}");
                ExpandGrid(next, row, axisIndex + 1);
            }
        }

        private void ExpandRandom(State state, MatrixRow? row)
        {
            if (_spec.Random is not { } random)
            {
                ExpandSeeds(state, row);
                return;
            }

            foreach (var sample in _samples)
            {
                var next = state.Clone();
                for (var i = 0; i < random.Parameters.Count; i++)
                {
                    var parameter = random.Parameters[i];
                    if (parameter.When is not null && !parameter.When.Evaluate(next.Config))
                    {
                        continue;
                    }

                    Apply(next, [new ConfigOverride(parameter.Path, sample[i], parameter.Location)]);
                    next.Parts.Add($"{_labels[parameter.Path]}={Display(sample[i])}");
                }

                ExpandSeeds(next, row);
            }
        }

        private void ExpandSeeds(State state, MatrixRow? row)
        {
            var configName = state.Parts.Count == 0 ? _spec.Name : string.Join(' ', state.Parts);
            var seeds = _seeds ?? [ConfigTree.Get(state.Config, "seed", out _) is JsonValue v && v.TryGetValue<long>(out var own) ? own : 0];
            foreach (var seed in seeds)
            {
                var resolved = (JsonObject)state.Config.DeepClone();
                var provenance = new Dictionary<string, SourceLocation>(state.Provenance, StringComparer.Ordinal);
                if (_seeds is not null)
                {
                    resolved["seed"] = seed;
                    provenance["seed"] = _spec.Location;
                }

                resolved["name"] = configName;

                // Through JSON text, so every value of the tree reads as any fitting CLR type
                // (GetValue<int>() on a whole number works whether the YAML said 64 or 64.0).
                var config = JsonNode.Parse(resolved.ToJsonString())!.AsObject();
                var keep = (row?.When?.Evaluate(config) ?? true) && (_spec.When?.Evaluate(config) ?? true);
                if (!keep)
                {
                    _skipped++;
                    continue;
                }

                var location = row?.Location ?? _spec.Location;
                ValidateResolved(config, configName, provenance, location);
                _candidates.Add(new Candidate(configName, seed, config, new Dictionary<string, string>(state.ScheduleNames), row?.Expect, provenance, location, Preset: row?.Preset?.Name, EarlyStopping: row?.EarlyStopping ?? true));
            }
        }

        /// <summary>
        /// One reference trial per seed: the base config (top-level preset, then base) after the profile, trained with
        /// <c>trainer.mode: supervised_cross</c>. First in the sweep, so the ceiling every verdict is judged
        /// against is measured early; the sweep's <c>when</c> does not apply to it.
        /// </summary>
        private void AddSupervisedCrossReference()
        {
            var state = new State(_schema.CreateDefaults());
            Apply(state, _spec.Preset?.Overrides ?? []);
            Apply(state, _spec.Base);
            Apply(state, _profile?.Overrides ?? []);
            Apply(state, [new ConfigOverride(ModeKey, JsonValue.Create(SupervisedCrossMode), _spec.Location)]);
            var configName = ReferencePrefix + SupervisedCrossMode;
            var seeds = _seeds ?? [ConfigTree.Get(state.Config, "seed", out _) is JsonValue v && v.TryGetValue<long>(out var own) ? own : 0];
            foreach (var seed in seeds)
            {
                var resolved = (JsonObject)state.Config.DeepClone();
                var provenance = new Dictionary<string, SourceLocation>(state.Provenance, StringComparer.Ordinal);
                if (_seeds is not null)
                {
                    resolved["seed"] = seed;
                }

                resolved["name"] = configName;
                var config = JsonNode.Parse(resolved.ToJsonString())!.AsObject();
                ValidateResolved(config, configName, provenance, _spec.Location);
                _candidates.Add(new Candidate(configName, seed, config, [], null, provenance, _spec.Location, SweepReference.SupervisedCross, EarlyStopping: false));
            }
        }

        private void ValidateResolved(JsonObject config, string configName, Dictionary<string, SourceLocation> provenance, SourceLocation fallback)
        {
            foreach (var problem in _schema.Validate(config))
            {
                var split = problem.IndexOf(": ", StringComparison.Ordinal);
                var path = split > 0 ? problem[..split] : string.Empty;
                var message = split > 0 ? problem[(split + 2)..] : problem;
                var location = Locate(path, provenance) ?? fallback;
                var error = SweepError.At(location, path, $"{message} (in trial `{configName}`)");
                var withoutTrial = SweepError.At(location, path, message).ToString();
                if (_errorTexts.Add(withoutTrial))
                {
                    _errors.Add(error);
                }
            }
        }

        /// <summary>The override that last wrote the path, or its nearest ancestor or descendant.</summary>
        private static SourceLocation? Locate(string path, Dictionary<string, SourceLocation> provenance)
        {
            if (path.Length == 0)
            {
                return null;
            }

            var probe = path;
            while (true)
            {
                if (provenance.TryGetValue(probe, out var exact))
                {
                    return exact;
                }

                var dot = probe.LastIndexOf('.');
                if (dot < 0)
                {
                    break;
                }

                probe = probe[..dot];
            }

            return provenance.Where(p => p.Key.StartsWith(path + ".", StringComparison.Ordinal)).Select(p => (SourceLocation?)p.Value).FirstOrDefault();
        }

        private SweepExpansion Finish()
        {
            var trials = new List<TrialSpec>();
            var byId = new Dictionary<string, int>(StringComparer.Ordinal);
            var aliases = new List<List<string>>();
            var notes = new List<SweepError>();
            foreach (var candidate in _candidates)
            {
                var id = CanonicalJson.ShortHash(Without(candidate.Config, "name"));
                if (byId.TryGetValue(id, out var existing))
                {
                    aliases[existing].Add(candidate.ConfigName);
                    notes.Add(SweepError.At(candidate.Location, string.Empty,
                        $"`{candidate.ConfigName}` (seed {candidate.Seed}) resolves to the same config as `{trials[existing].ConfigName}`; it is run once, as trial {id}"));
                    continue;
                }

                var parameters = new OrderedDictionary<string, JsonNode?>(StringComparer.Ordinal);
                if (candidate.Reference is not null)
                {
                    // A reference varies nothing of the sweep's; its one parameter says what it is.
                    parameters[ModeKey] = ConfigTree.Get(candidate.Config, ModeKey, out _)?.DeepClone();
                }

                // A row's preset is shown, not its keys: they are the preset's, not what this sweep varies.
                // A config key of the same name, should a schema have one, keeps the column.
                if (candidate.Preset is not null && !_parameterKeys.Contains(PresetParameter))
                {
                    parameters[PresetParameter] = JsonValue.Create(candidate.Preset);
                }

                foreach (var key in candidate.Reference is null ? _parameterKeys : [])
                {
                    parameters[key] = candidate.ScheduleNames.TryGetValue(key, out var scheduleName)
                        ? JsonValue.Create(scheduleName)
                        : ConfigTree.Get(candidate.Config, key, out _)?.DeepClone();
                }

                var names = new List<string>();
                aliases.Add(names);
                byId[id] = trials.Count;
                trials.Add(new TrialSpec(
                    id,
                    _spec.Name,
                    candidate.ConfigName,
                    CanonicalJson.ShortHash(Without(candidate.Config, "name", "seed")),
                    candidate.Seed,
                    parameters,
                    candidate.Expect,
                    candidate.Config,
                    _profile?.Resources ?? _spec.Resources,
                    _profile?.MaxAttempts ?? _spec.MaxAttempts,
                    _profile?.Priority ?? _spec.Priority,
                    trials.Count,
                    names)
                {
                    Reference = candidate.Reference,
                    EarlyStopping = candidate.EarlyStopping,
                });
            }

            return new SweepExpansion(trials, [], notes, _skipped, _profile?.Name)
            {
                EarlyStopping = Sweeps.EarlyStopping.Resolve(_spec.EarlyStopping, _profile?.EarlyStopping, _spec.Objective),
            };
        }

        private static JsonObject Without(JsonObject config, params string[] keys)
        {
            var copy = (JsonObject)config.DeepClone();
            foreach (var key in keys)
            {
                copy.Remove(key);
            }

            return copy;
        }

        private static string Display(JsonNode? value)
        {
            if (value is JsonValue v && v.TryGetValue<double>(out var real))
            {
                return real.ToString("G4", CultureInfo.InvariantCulture);
            }

            return value is JsonValue s && s.TryGetValue<string>(out var text) ? text : CanonicalJson.Serialize(value);
        }
    }
}
