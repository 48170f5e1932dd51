using System.Text.Json.Nodes;
using SweepCluster.Sweeps;

namespace SweepCluster.Sweeps.Tests;

[Trait("Category", "Unit")]
public sealed class CanonicalJsonTests
{
    [Fact]
    public void Keys_are_sorted_and_numbers_take_their_shortest_form()
    {
        var node = new JsonObject
        {
            ["d"] = true,
            ["c"] = null,
            ["b"] = "tab\there \"q\" é",
            ["a"] = new JsonArray(1.0, 2.5, 0.00001, -3L),
        };

        Assert.Equal("""{"a":[1,2.5,1e-05,-3],"b":"tab\there \"q\" é","c":null,"d":true}""", CanonicalJson.Serialize(node));
    }

    [Fact]
    public void Hash_matches_an_independent_python_sha256_of_the_same_text()
    {
        // /usr/bin/python3: hashlib.sha256('{"a":[1,2.5,1e-05,-3],"b":"tab\\there \\"q\\" é","c":null,"d":true}'.encode()).hexdigest()
        var node = JsonNode.Parse("""{"d": true, "c": null, "b": "tab\there \"q\" \u00e9", "a": [1, 2.50, 1e-5, -3]}""");

        Assert.Equal("35a4a2955bb9e03825f8cb301a64dab7110a9bd9defa324d6d581e0ef70c5008", CanonicalJson.Sha256Hex(node));
    }

    [Fact]
    public void Parsed_and_constructed_numbers_of_equal_value_serialize_alike()
    {
        var parsed = JsonNode.Parse("""{"x": 1.0, "y": 0.1, "z": 1e3}""");
        var built = new JsonObject { ["z"] = 1000, ["y"] = 0.1, ["x"] = 1L };

        Assert.Equal(CanonicalJson.Serialize(parsed), CanonicalJson.Serialize(built));
        Assert.Equal("""{"x":1,"y":0.1,"z":1000}""", CanonicalJson.Serialize(built));
    }

    [Fact]
    public void Control_characters_are_escaped_as_unicode()
    {
        Assert.Equal("\"a\\u0001b\\nc\"", CanonicalJson.Serialize(JsonValue.Create("a\u0001b\nc")));
    }
}
