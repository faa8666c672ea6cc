using System.Text.Json.Nodes;

namespace RocketMqSource.Samples.Tests.Manifests;

/// <summary>samples/food-delivery/config/ and rocketmq/ against the published and CRD schemas.</summary>
public sealed class SampleManifestSchemaTests(SampleManifests manifests) : IClassFixture<SampleManifests>
{
    [Fact]
    public void The_sample_has_every_piece_of_the_story()
    {
        var kinds = manifests.Config.Select(m => $"{m.ApiVersion} {m.Kind}").ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "v1 Namespace", "v1 Secret", "eventing.knative.dev/v1 Broker", "eventing.knative.dev/v1 Trigger",
                "serving.knative.dev/v1 Service", "sources.knative.dev/v1alpha1 RocketMQSource",
            },
            kinds);
    }

    [Fact]
    public void Every_Kubernetes_and_Knative_document_validates_against_its_published_schema()
    {
        var documents = manifests.Config.Where(m => m.Kind != "RocketMQSource").Concat(manifests.RocketMqDev).ToList();

        Assert.Equal(documents.Count, manifests.Published.Count);
        var failures = documents
            .Select(m => manifests.Published[m.Id])
            .Where(v => !v.Valid)
            .Select(v => $"{v.Id} {v.Kind}: {string.Join("; ", v.Errors)}")
            .ToList();
        Assert.True(failures.Count == 0, "refused by the published schemas:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void The_RocketMQSource_passes_the_CRD_schema_and_CEL_rules()
    {
        var source = manifests.Single("RocketMQSource");

        var verdict = manifests.Crd.Results[source.Id];

        Assert.True(verdict.Valid, string.Join('\n', verdict.Errors));
        // What the API server would store: defaults filled in, the sample's own values kept.
        var spec = verdict.Defaulted["spec"]!;
        Assert.Equal("TAG", (string?)spec["filter"]?["type"]);
        Assert.Equal("PAID || CANCELLED", (string?)spec["filter"]?["expression"]);
        Assert.Equal(32, (int?)spec["batchSize"]);
        Assert.Equal("30s", (string?)spec["invisibleDuration"]);
    }

    [Fact]
    public async Task The_CRD_check_refuses_the_source_without_a_sink_or_with_a_blank_tag()
    {
        var source = (JsonObject)manifests.Single("RocketMQSource").Document.DeepClone();
        var withoutSink = (JsonObject)source.DeepClone();
        withoutSink["spec"]!.AsObject().Remove("sink");
        var blankTag = (JsonObject)source.DeepClone();
        blankTag["spec"]!["filter"]!["expression"] = "PAID || ";

        var result = await CrdSchema.ValidateAsync(Manifest.Crd().Document, "v1alpha1", [("no-sink", withoutSink), ("blank-tag", blankTag)]);

        Assert.Contains(result.Results["no-sink"].Errors, e => e.Path == "spec.sink" && e.By == "schema");
        Assert.Contains(result.Results["blank-tag"].Errors, e => e.Path == "spec.filter" && e.By == "cel");
    }

    [Fact]
    public async Task The_order_service_pod_template_is_a_valid_core_pod_spec_with_no_unknown_fields()
    {
        // validate-k8s.mjs checks unknown fields of a Knative Service down to spec only; the
        // revision template is a subset of a core PodSpec, so check it as a Pod too.
        var verdict = await PublishedSchemas.ValidateOneAsync(PodOf(manifests.Single("Service", "serving.knative.dev/").Document));

        Assert.True(verdict.Valid, string.Join("; ", verdict.Errors));
    }

    [Fact]
    public async Task The_published_schema_check_refuses_a_broken_order_service()
    {
        var service = (JsonObject)manifests.Single("Service", "serving.knative.dev/").Document.DeepClone();
        var container = service["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        container["readinessProbe"]!["httpGet"]!["path"] = 42;
        container["securityContex"] = container["securityContext"]!.DeepClone();

        var verdicts = await PublishedSchemas.ValidateAsync([("service", service), ("pod", PodOf(service))]);

        Assert.Contains(verdicts["service"].Errors, e => e.StartsWith("/spec/template/spec/containers/0/readinessProbe/httpGet/path must be string", StringComparison.Ordinal));
        Assert.Contains(verdicts["pod"].Errors, e => e.StartsWith("/spec/containers/0/securityContex is not a field of Container", StringComparison.Ordinal));
    }

    /// <summary>The revision template as a Pod, without the fields only Knative's RevisionSpec has.</summary>
    private static JsonObject PodOf(JsonObject service)
    {
        var template = service["spec"]!["template"]!;
        var spec = (JsonObject)template["spec"]!.DeepClone();
        foreach (var knativeOnly in new[] { "containerConcurrency", "timeoutSeconds", "responseStartTimeoutSeconds", "idleTimeoutSeconds" })
        {
            spec.Remove(knativeOnly);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "order-service-template" },
            ["spec"] = spec,
        };
    }
}
