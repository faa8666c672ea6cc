using System.Text.Json.Nodes;
using RocketMqSource.Controller.Tests.Manifests;

namespace RocketMqSource.Controller.Tests;

/// <summary>The RocketMQSource CRD follows the Knative source conventions (the API server's own rules: CrdCreateTests).</summary>
public sealed class CrdDefinitionTests
{
    private static readonly JsonObject Crd = Manifest.Crd().Document;

    private static JsonNode Version => Crd["spec"]!["versions"]!.AsArray().Single(v => (string?)v!["name"] == "v1alpha1")!;

    [Fact]
    public void It_is_the_namespaced_v1alpha1_RocketMQSource_of_sources_knative_dev()
    {
        var spec = Crd["spec"]!;
        var names = spec["names"]!;

        Assert.Equal("sources.knative.dev", (string?)spec["group"]);
        Assert.Equal("Namespaced", (string?)spec["scope"]);
        Assert.Equal("RocketMQSource", (string?)names["kind"]);
        Assert.Equal("rocketmqsources", (string?)names["plural"]);
        Assert.Equal("rocketmqsource", (string?)names["singular"]);
        Assert.Equal(["rocketsrc"], names["shortNames"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["all", "knative", "eventing", "sources"], names["categories"]!.AsArray().Select(n => (string?)n));
        Assert.True((bool?)Version["served"]);
        Assert.True((bool?)Version["storage"]);
        Assert.NotNull(Version["subresources"]?["status"]);
    }

    [Fact]
    public void It_carries_the_Knative_source_labels()
    {
        var labels = Crd["metadata"]!["labels"]!;

        Assert.Equal("true", (string?)labels["duck.knative.dev/source"]);
        Assert.Equal("true", (string?)labels["eventing.knative.dev/source"]);
        Assert.Equal("true", (string?)labels["knative.dev/crd-install"]);
    }

    [Fact]
    public void Its_eventTypes_annotation_is_JSON_naming_the_event_type_with_a_description()
    {
        var annotation = (string)Crd["metadata"]!["annotations"]!["registry.knative.dev/eventTypes"]!;

        var types = JsonNode.Parse(annotation)!.AsArray();

        var eventType = Assert.Single(types)!;
        Assert.Equal("dev.knative.rocketmq.event", (string?)eventType["type"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)eventType["description"]));
    }

    [Fact]
    public void It_prints_Ready_Reason_Sink_and_Age()
    {
        var columns = Version["additionalPrinterColumns"]!.AsArray()
            .ToDictionary(c => (string)c!["name"]!, c => ((string)c!["jsonPath"]!, (string)c["type"]!));

        Assert.Equal((".status.conditions[?(@.type==\"Ready\")].status", "string"), columns["Ready"]);
        Assert.Equal((".status.conditions[?(@.type==\"Ready\")].reason", "string"), columns["Reason"]);
        Assert.Equal((".status.sinkUri", "string"), columns["Sink"]);
        Assert.Equal((".metadata.creationTimestamp", "date"), columns["Age"]);
    }

    [Fact]
    public void Its_status_has_the_Knative_source_duck_fields()
    {
        var status = Version["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!["properties"]!.AsObject();
        var condition = status["conditions"]!["items"]!["properties"]!.AsObject();

        Assert.Superset(new HashSet<string> { "observedGeneration", "conditions", "sinkUri", "sinkCACerts", "sinkAudience", "ceAttributes", "annotations" },
            status.Select(p => p.Key).ToHashSet());
        Assert.Superset(new HashSet<string> { "type", "status", "reason", "message", "lastTransitionTime", "severity" }, condition.Select(p => p.Key).ToHashSet());
        Assert.Superset(new HashSet<string> { "type", "source" }, status["ceAttributes"]!["items"]!["properties"]!.AsObject().Select(p => p.Key).ToHashSet());
    }

    [Fact]
    public void Every_CEL_rule_explains_itself_with_a_message()
    {
        var rules = new List<JsonNode>();
        CollectRules(Version["schema"]!["openAPIV3Schema"]!, rules);

        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.False(string.IsNullOrWhiteSpace((string?)r["message"]), $"rule {r["rule"]} has no message"));
    }

    [Fact]
    public void Every_pattern_is_RE2_syntax_as_the_API_server_evaluates_it()
    {
        var patterns = new List<string>();
        CollectPatterns(Version["schema"]!["openAPIV3Schema"]!, patterns);

        Assert.NotEmpty(patterns);
        // Go's regexp (RE2) has no lookaround and no backreferences; ajv (JavaScript) would accept them.
        string[] unsupported = ["(?=", "(?!", "(?<=", "(?<!", "\\1", "\\2"];
        Assert.All(patterns, p => Assert.DoesNotContain(unsupported, u => p.Contains(u, StringComparison.Ordinal)));
    }

    private static void CollectPatterns(JsonNode node, List<string> patterns)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj)
            {
                if (key == "pattern" && child is JsonValue value)
                {
                    patterns.Add((string)value!);
                }
                else if (key == "x-kubernetes-validations")
                {
                    patterns.AddRange(child!.AsArray().Select(r => (string)r!["rule"]!));
                }
                else if (child is not null)
                {
                    CollectPatterns(child, patterns);
                }
            }
        }
    }

    [Fact]
    public void The_spec_requires_endpoints_topic_group_and_sink()
    {
        var spec = Version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!;

        Assert.Equal(["consumerGroup", "endpoints", "sink", "topic"],
            spec["required"]!.AsArray().Select(r => (string)r!).Order(StringComparer.Ordinal));
    }

    private static void CollectRules(JsonNode node, List<JsonNode> rules)
    {
        if (node is JsonObject obj)
        {
            rules.AddRange(obj["x-kubernetes-validations"]?.AsArray().Select(r => r!) ?? []);
            foreach (var (key, child) in obj)
            {
                if (key != "x-kubernetes-validations" && child is not null)
                {
                    CollectRules(child, rules);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.OfType<JsonNode>())
            {
                CollectRules(child, rules);
            }
        }
    }
}
