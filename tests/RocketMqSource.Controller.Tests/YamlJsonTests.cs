using System.Text.Json;
using RocketMqSource.Controller.Tests.Manifests;

namespace RocketMqSource.Controller.Tests;

/// <summary>YAML is read the way kubectl reads it, so schema checks see what a cluster would.</summary>
public sealed class YamlJsonTests
{
    [Fact]
    public void Plain_scalars_take_YAML_1_1_types_and_quoted_ones_stay_strings()
    {
        var document = YamlJson.ParseDocuments("""
            count: 16
            negative: -1
            ratio: 0.5
            enabled: true
            legacy: yes
            off: off
            quoted: "true"
            single: '16'
            empty:
            tilde: ~
            text: 30s
            """).Single();

        Assert.Equal(JsonValueKind.Number, document["count"]!.GetValueKind());
        Assert.Equal(16, (long)document["count"]!);
        Assert.Equal(-1, (long)document["negative"]!);
        Assert.Equal(0.5, (double)document["ratio"]!);
        Assert.True((bool)document["enabled"]!);
        Assert.True((bool)document["legacy"]!);
        Assert.False((bool)document["off"]!);
        Assert.Equal("true", (string?)document["quoted"]);
        Assert.Equal("16", (string?)document["single"]);
        Assert.Null(document["empty"]);
        Assert.Null(document["tilde"]);
        Assert.Equal("30s", (string?)document["text"]);
    }

    [Fact]
    public void Every_non_empty_document_of_a_stream_is_returned_in_order()
    {
        var documents = YamlJson.ParseDocuments("""
            ---
            a: 1
            ---
            ---
            b: [x, "y", 3]
            """);

        Assert.Equal(2, documents.Count);
        Assert.Equal(1, (long)documents[0]["a"]!);
        Assert.Equal("""["x","y",3]""", documents[1]["b"]!.ToJsonString());
    }

    [Fact]
    public void Block_literals_keep_their_text()
    {
        var document = YamlJson.ParseDocuments("""
            annotation: |
              [ {"type": "x"} ]
            next: 1
            """).Single();

        Assert.Equal("[ {\"type\": \"x\"} ]\n", (string?)document["annotation"]);
    }
}
