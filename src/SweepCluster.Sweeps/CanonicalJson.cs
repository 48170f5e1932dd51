using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>
/// The canonical JSON text of a node tree, the input of content hashes (trial ids).
/// </summary>
/// <remarks>
/// Rules, so that any implementation (and a Python reference with
/// <c>json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)</c> over ints and
/// floats) produces the same bytes:
/// <list type="bullet">
/// <item>No whitespace. Object keys sorted ordinally (by UTF-16 code unit).</item>
/// <item>A number whose value is a whole number within the range of a 64-bit integer is written as an
/// integer (<c>1.0</c> and <c>1</c> are the same value: <c>1</c>); any other number in the
/// shortest form that round-trips a double, with a lower-case exponent (<c>0.05</c>, <c>1e-05</c>).</item>
/// <item>Strings escape <c>"</c>, <c>\</c> and control characters (<c>\b \f \n \r \t</c>, else
/// <c>\u00XX</c>); every other character is written as itself, UTF-8 encoded for hashing.</item>
/// </list>
/// </remarks>
public static class CanonicalJson
{
    /// <summary>The canonical text of <paramref name="node"/> (null writes <c>null</c>).</summary>
    public static string Serialize(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 canonical text.</summary>
    public static string Sha256Hex(JsonNode? node)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(Serialize(node)));
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The first 16 hex digits of <see cref="Sha256Hex"/>: the trial id form.</summary>
    public static string ShortHash(JsonNode? node) => Sha256Hex(node)[..16];

    /// <summary>Whether two trees have the same canonical text (numbers compare by value).</summary>
    public static bool DeepEquals(JsonNode? left, JsonNode? right) =>
        string.Equals(Serialize(left), Serialize(right), StringComparison.Ordinal);

    /// <summary>The canonical form of one number given as JSON number text.</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException("JSON has no form for NaN or infinity.", nameof(value));
        }

        // 2^63 itself does not fit a long, hence the strict bound.
        if (Math.Floor(value) == value && Math.Abs(value) < 9.2233720368547758e18)
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        return value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
    }

    private static void Write(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var pair in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    WriteString(builder, pair.Key);
                    builder.Append(':');
                    Write(builder, pair.Value);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Write(builder, array[i]);
                }

                builder.Append(']');
                break;
            case JsonValue value:
                WriteValue(builder, value);
                break;
            default:
                throw new ArgumentException($"Unsupported node type {node.GetType().Name}.", nameof(node));
        }
    }

    private static void WriteValue(StringBuilder builder, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(builder, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            case JsonValueKind.Number:
                builder.Append(NumberText(value));
                break;
            default:
                throw new ArgumentException($"Unsupported JSON value kind {value.GetValueKind()}.", nameof(value));
        }
    }

    private static string NumberText(JsonValue value)
    {
        // Whatever CLR type backs the node, its JSON text is a valid number literal.
        var text = value.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        var number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return FormatNumber(number);
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
