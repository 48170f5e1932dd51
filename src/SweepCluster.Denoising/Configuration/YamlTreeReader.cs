using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Denoising.Configuration;

/// <summary>
/// Turns a YAML (or JSON, which YAML reads too) document into a <see cref="JsonObject"/> tree, recording
/// where each dotted key path was written so errors can point at a line and column.
/// Plain scalars follow the YAML 1.2 core schema (null, booleans, integers, floats); quoted scalars are strings.
/// </summary>
internal static partial class YamlTreeReader
{
    public static JsonObject Read(string text, Dictionary<string, Mark> positions, List<string> errors, string fileName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            errors.Add($"{fileName}, line {ex.Start.Line}, column {ex.Start.Column}: not valid YAML: {ex.InnerException?.Message ?? ex.Message}");
            return [];
        }

        if (stream.Documents.Count == 0)
        {
            return [];
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add($"{fileName}: holds {stream.Documents.Count} YAML documents; a trial is one document");
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" })
        {
            return [];
        }

        if (root is not YamlMappingNode)
        {
            errors.Add($"{fileName}, line {root.Start.Line}, column {root.Start.Column}: the document must be a mapping of keys to values");
            return [];
        }

        return (JsonObject)Convert(root, string.Empty, positions, errors, fileName)!;
    }

    private static JsonNode? Convert(YamlNode node, string path, Dictionary<string, Mark> positions, List<string> errors, string fileName)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    var key = keyNode is YamlScalarNode scalarKey ? scalarKey.Value ?? string.Empty : keyNode.ToString();
                    var childPath = path.Length == 0 ? key : path + "." + key;
                    if (obj.ContainsKey(key))
                    {
                        errors.Add($"{childPath} ({fileName}, line {keyNode.Start.Line}, column {keyNode.Start.Column}): duplicate key");
                        continue;
                    }

                    positions[childPath] = keyNode.Start;
                    obj[key] = Convert(valueNode, childPath, positions, errors, fileName);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var childPath = $"{path}[{i}]";
                    positions[childPath] = sequence.Children[i].Start;
                    array.Add(Convert(sequence.Children[i], childPath, positions, errors, fileName));
                }

                return array;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                errors.Add($"{path} ({fileName}, line {node.Start.Line}, column {node.Start.Column}): unsupported YAML node");
                return null;
        }
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
