using System.Text.Json.Nodes;
using RocketMqSource.Controller.Tests.Manifests;

namespace RocketMqSource.Controller.Tests;

/// <summary>
/// The API server's create-time rules for a CustomResourceDefinition, read from
/// kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver and run offline
/// (tests/interop/check-crd.mjs): our CRD passes every one, and each rule refuses a copy of our
/// CRD broken on purpose, with the API server's field path and wording.
/// </summary>
public sealed class CrdCreateTests(CrdCreateTests.Verdicts verdicts) : IClassFixture<CrdCreateTests.Verdicts>
{
    private const string Schema = "spec.versions[0].schema.openAPIV3Schema";
    private const string SpecFields = Schema + ".properties[spec].properties";

    /// <summary>One rule broken on purpose: how, and the refusal the API server gives.</summary>
    public sealed record Breakage(Action<JsonObject> Break, string Path, string Message);

    /// <summary>Each create-time rule, broken once; the comment names the Kubernetes file the rule is read from.</summary>
    private static readonly Dictionary<string, Breakage> Breakages = new()
    {
        // apiserver/schema/defaulting/validation.go: a default is validated literally, against its node's CEL rules too.
        ["default-breaks-its-cel-rules"] = new(crd => Fields(crd)["filter"]!["default"] = new JsonObject(),
            $"{SpecFields}[filter].default", "Invalid value: no such key: "),
        // ... and nested defaults are not applied first: expression's own default "*" does not help.
        ["default-relies-on-a-nested-default"] = new(crd => Fields(crd)["filter"]!["default"] = new JsonObject { ["type"] = "SQL92" },
            $"{SpecFields}[filter].default", "Invalid value: no such key: expression evaluating rule: self.type != 'SQL92'"),
        // ... against the node's own schema first.
        ["default-out-of-range"] = new(crd => Fields(crd)["batchSize"]!["default"] = 64,
            $"{SpecFields}[batchSize].default", "Invalid value: must be <= 32"),
        // ... and it must be pruned: no field the schema does not know.
        ["default-with-unknown-field"] = new(crd => Fields(crd)["filter"]!["default"]!["tags"] = "a",
            $"{SpecFields}[filter].default", "Invalid value: must not have unknown fields (default.tags)"),
        // apis/apiextensions/validation/validation.go: no defaults in top-level metadata.
        ["default-in-metadata"] = new(crd => Root(crd)["properties"]!["metadata"]!["default"] = new JsonObject(),
            $"{Schema}.properties[metadata].default", "Forbidden: must not be set in top-level metadata"),
        // apiserver/schema/validation.go: a type on every node.
        ["field-without-type"] = new(crd => Fields(crd)["topic"]!.AsObject().Remove("type"),
            $"{SpecFields}[topic].type", "Required value: must not be empty for specified object fields"),
        // apiserver/schema/validation.go: metadata at the root restricts name and generateName only.
        ["metadata-with-fields"] = new(crd => Root(crd)["properties"]!["metadata"]!["properties"] = new JsonObject { ["labels"] = new JsonObject { ["type"] = "object" } },
            $"{Schema}.properties[metadata]", "Forbidden: must not specify anything other than name and generateName"),
        // apiserver/schema/validation.go: an array has items.
        ["array-without-items"] = new(crd => Status(crd)["ceAttributes"]!.AsObject().Remove("items"),
            $"{Schema}.properties[status].properties[ceAttributes].items", "Required value: must be specified"),
        // apiserver/schema/validation.go: only value validations inside anyOf (bar the int-or-string pattern).
        ["type-inside-anyOf"] = new(crd => Fields(crd)["topic"]!["anyOf"] = new JsonArray(new JsonObject { ["type"] = "string", ["minLength"] = 2 }),
            $"{SpecFields}[topic].anyOf[0].type", "Forbidden: must be empty to be structural"),
        // apis/apiextensions/validation/validation.go: properties and additionalProperties exclude each other.
        ["properties-beside-additionalProperties"] = new(crd => Fields(crd)["ceOverrides"]!["properties"]!["extensions"]!["properties"] = new JsonObject { ["a"] = new JsonObject { ["type"] = "string" } },
            $"{SpecFields}[ceOverrides].properties[extensions].additionalProperties", "Forbidden: additionalProperties and properties are mutual exclusive"),
        // apis/apiextensions/validation/validation.go: uniqueItems is quadratic.
        ["uniqueItems"] = new(crd => Status(crd)["ceAttributes"]!["uniqueItems"] = true,
            $"{Schema}.properties[status].properties[ceAttributes].uniqueItems", "Forbidden: uniqueItems cannot be set to true"),
        // apis/apiextensions/validation/validation.go: a map list's keys are required or defaulted.
        ["list-map-key-optional"] = new(crd => Status(crd)["conditions"]!["items"]!["required"] = new JsonArray("status"),
            $"{Schema}.properties[status].properties[conditions].items.properties[type].default", "Required value: this property is in x-kubernetes-list-map-keys"),
        // apis/apiextensions/validation/validation.go: a multi-line message is refused.
        ["rule-message-with-line-break"] = new(crd => Fields(crd)["topic"]!["x-kubernetes-validations"]![0]!["message"] = "no system\ntopics",
            $"{SpecFields}[topic].x-kubernetes-validations[0].message", "Invalid value: message must not contain line breaks"),
        // apiserver/schema/cel/compilation.go: a rule compiles against its node's type ...
        ["rule-reads-an-undeclared-field"] = new(crd => Fields(crd)["sink"]!["x-kubernetes-validations"]![0]!["rule"] = "has(self.ref) || has(self.url)",
            $"{SpecFields}[sink].x-kubernetes-validations[0].rule", "Invalid value: \"has(self.ref) || has(self.url)\": compilation failed: "),
        // ... with the types of its node's fields ...
        ["rule-with-a-type-error"] = new(crd => Fields(crd)["topic"]!["x-kubernetes-validations"]![0]!["rule"] = "size(self) < '127'",
            $"{SpecFields}[topic].x-kubernetes-validations[0].rule", "Invalid value: \"size(self) < '127'\": compilation failed: "),
        // ... and yields a bool.
        ["rule-not-a-bool"] = new(crd => Fields(crd)["topic"]!["x-kubernetes-validations"]![0]!["rule"] = "size(self)",
            $"{SpecFields}[topic].x-kubernetes-validations[0].rule", "Invalid value: \"size(self)\": cel expression must evaluate to a bool"),
        // apis/apiextensions/validation/validation.go (StaticEstimatedCostLimit): an unbounded list of unbounded strings.
        ["rule-cost-over-budget"] = new(crd => CeAttribute(crd)["x-kubernetes-validations"] = SourceRule(),
            $"{Schema}.properties[status].properties[ceAttributes].items.x-kubernetes-validations[0].rule", "Forbidden: estimated rule cost exceeds budget by factor of more than 100x"),
        // apis/apiextensions/validation/validation.go: names are DNS-1035 labels.
        ["short-name-not-a-label"] = new(crd => crd["spec"]!["names"]!["shortNames"] = new JsonArray("RocketSource"),
            "spec.names.shortNames[0]", "Invalid value: \"RocketSource\": must be a DNS-1035 label"),
        // apis/apiextensions/validation/validation.go: a printer column has a known type ...
        ["printer-column-type"] = new(crd => Version(crd)["additionalPrinterColumns"]![0]!["type"] = "text",
            "spec.versions[0].additionalPrinterColumns[0].type", "Unsupported value: \"text\""),
        // ... ours: its JSONPath reaches a field, or kubectl prints <none> without a word.
        ["printer-column-typo"] = new(crd => Version(crd)["additionalPrinterColumns"]![2]!["jsonPath"] = ".status.sinkURI",
            "spec.versions[0].additionalPrinterColumns[2].jsonPath", "Invalid value: \".status.sinkURI\": reaches no field of the schema"),
    };

    public static TheoryData<string> BreakageNames => new(Breakages.Keys);

    [Fact]
    public void Our_CRD_passes_every_create_time_check()
    {
        var verdict = verdicts.Of("config");

        Assert.True(verdict.Errors.Count == 0, "the API server would refuse config/300-rocketmqsource.yaml:\n" + string.Join('\n', verdict.Errors));
    }

    [Fact]
    public void Our_rules_cost_a_small_part_of_the_API_server_budget()
    {
        // StaticEstimatedCRDCostLimit is 100,000,000 for the whole schema; leave room for rules to come.
        var cost = verdicts.Of("config").Costs["v1alpha1"];

        Assert.NotNull(cost);
        Assert.InRange(cost.Value, 1, 1_000_000);
    }

    [Theory]
    [MemberData(nameof(BreakageNames))]
    public void A_CRD_that_breaks_a_create_time_rule_is_refused_where_and_as_the_API_server_says(string name)
    {
        var breakage = Breakages[name];
        var errors = verdicts.Of(name).Errors;

        Assert.True(errors.Any(e => e.Path == breakage.Path && e.Message.StartsWith(breakage.Message, StringComparison.Ordinal)),
            $"{name}: expected '{breakage.Path}: {breakage.Message}…', got:\n{string.Join('\n', errors)}");
    }

    [Fact]
    public void Bounding_the_list_and_its_strings_brings_the_same_rule_within_budget()
    {
        Assert.Empty(verdicts.Of("rule-cost-bounded").Errors);
    }

    private static JsonObject Version(JsonObject crd) => crd["spec"]!["versions"]![0]!.AsObject();

    private static JsonObject Root(JsonObject crd) => Version(crd)["schema"]!["openAPIV3Schema"]!.AsObject();

    private static JsonObject Fields(JsonObject crd) => Root(crd)["properties"]!["spec"]!["properties"]!.AsObject();

    private static JsonObject Status(JsonObject crd) => Root(crd)["properties"]!["status"]!["properties"]!.AsObject();

    private static JsonObject CeAttribute(JsonObject crd) => Status(crd)["ceAttributes"]!["items"]!.AsObject();

    private static JsonArray SourceRule() =>
        [new JsonObject { ["rule"] = "self.source.matches('^/apis/v1/namespaces/[a-z0-9-]+/rocketmqsources/.+$')", ["message"] = "source is a RocketMQSource" }];

    /// <summary>Checks our CRD and each broken copy once, in one Node process.</summary>
    public sealed class Verdicts : IAsyncLifetime
    {
        private IReadOnlyDictionary<string, CrdCreateVerdict> _verdicts = new Dictionary<string, CrdCreateVerdict>();

        public async Task InitializeAsync()
        {
            var config = Manifest.Crd().Document;
            var broken = Breakages.Select(b => (b.Key, Broken(config, b.Value.Break)));
            var bounded = Broken(config, crd =>
            {
                CeAttribute(crd)["x-kubernetes-validations"] = SourceRule();
                CeAttribute(crd)["properties"]!["source"]!["maxLength"] = 1024;
                Status(crd)["ceAttributes"]!["maxItems"] = 16;
            });
            _verdicts = await CrdCreateChecks.RunAsync([("config", config), .. broken, ("rule-cost-bounded", bounded)]);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        internal CrdCreateVerdict Of(string id) => _verdicts[id];

        private static JsonObject Broken(JsonObject config, Action<JsonObject> change)
        {
            var copy = (JsonObject)config.DeepClone();
            change(copy);
            return copy;
        }
    }
}
