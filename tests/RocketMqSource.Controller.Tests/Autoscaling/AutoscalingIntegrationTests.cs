using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Autoscaling;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Tests.Controller;
using RocketMqSource.Testing.Kubernetes;
using static RocketMqSource.Controller.Autoscaling.AutoscalingAnnotations;
using static RocketMqSource.Controller.Tests.Controller.ControllerHarness;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.Autoscaling;

/// <summary>A source that opts in to KEDA autoscaling, reconciled against the API-server double.</summary>
public sealed class AutoscalingIntegrationTests
{
    public const string ScaledObjectsPath = "/apis/keda.sh/v1alpha1/namespaces/food/scaledobjects";

    private const string ExpectedQuery =
        "(sum(rocketmq_consumer_ready_messages{topic=\"orders\",consumer_group=\"order-dispatch\"}) or vector(0))"
        + " + (sum(rocketmq_consumer_inflight_messages{topic=\"orders\",consumer_group=\"order-dispatch\"}) or vector(0))";

    /// <summary>The shipped wake query for topic orders; window 2 x 10 s polling + 60 s.</summary>
    private const string ExpectedWakeQuery =
        "((sum(((rocketmq_messages_in_total{topic=\"orders\"} - (rocketmq_messages_in_total{topic=\"orders\"} offset 80s)) >= 0) or rocketmq_messages_in_total{topic=\"orders\"}) or vector(0))"
        + " + (sum(((rocketmq_timer_dequeue_total{topic=\"orders\"} - (rocketmq_timer_dequeue_total{topic=\"orders\"} offset 80s)) >= 0) or rocketmq_timer_dequeue_total{topic=\"orders\"}) or vector(0))"
        + " + (sum(((rocketmq_commit_messages_total{topic=\"orders\"} - (rocketmq_commit_messages_total{topic=\"orders\"} offset 80s)) >= 0) or rocketmq_commit_messages_total{topic=\"orders\"}) or vector(0)))"
        + " > bool 0";

    [Fact]
    public async Task An_annotated_source_gets_exactly_its_ScaledObject_and_loses_it_when_the_annotation_goes()
    {
        await using var harness = await StartAsync();
        harness.SeedBroker();
        SeedShippedAutoscalerConfig(harness);
        harness.Server.EnableStatusSubresource("keda.sh", "scaledobjects");
        harness.StartController();
        var created = await harness.CreateSourceAsync(Annotated(new()
        {
            [MinScale] = "1", [MaxScale] = "8", [CooldownPeriod] = "120", [LagThreshold] = "25", [ActivationLagThreshold] = "3",
        }, replicas: null));
        var path = $"{ScaledObjectsPath}/{ScaledObjectBuilder.Name(created)}";

        var scaledObject = await Eventually.ValueAsync(() => harness.Server.TryGet(path), "the ScaledObject");

        var expectedSpec = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "sources.knative.dev/v1alpha1", ["kind"] = "RocketMQSource", ["name"] = "orders" },
            ["minReplicaCount"] = 1,
            ["maxReplicaCount"] = 8,
            ["pollingInterval"] = 10,
            ["cooldownPeriod"] = 120,
            ["triggers"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "prometheus",
                    ["name"] = "backlog",
                    ["metadata"] = new JsonObject
                    {
                        ["serverAddress"] = "http://prometheus-operated.monitoring.svc:9090",
                        ["query"] = ExpectedQuery,
                        ["threshold"] = "25",
                        ["activationThreshold"] = "3",
                    },
                },
                new JsonObject
                {
                    ["type"] = "prometheus",
                    ["name"] = "wake",
                    ["metadata"] = new JsonObject
                    {
                        ["serverAddress"] = "http://prometheus-operated.monitoring.svc:9090",
                        ["query"] = ExpectedWakeQuery,
                        ["threshold"] = "1",
                        ["activationThreshold"] = "0",
                    },
                }),
        };
        Assert.True(JsonNode.DeepEquals(expectedSpec, scaledObject["spec"]), scaledObject["spec"]!.ToJsonString());
        var owner = scaledObject["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(created.Metadata.Uid, (string?)owner["uid"]);
        Assert.True((bool)owner["controller"]!);
        var verdict = await PublishedSchemas.ValidateOneAsync(scaledObject);
        Assert.True(verdict.Valid, string.Join("; ", verdict.Errors));
        var waiting = await harness.WaitForConditionAsync(ConditionTypes.AutoscalerReady, "Unknown", Reasons.ScaledObjectNotReady);
        Assert.Equal("Info", Fixtures.Condition(waiting.Status!, ConditionTypes.AutoscalerReady).Severity);

        await ReportKedaReadyAsync(harness, scaledObject);
        await harness.WaitForConditionAsync(ConditionTypes.AutoscalerReady, "True", Reasons.ScaledObjectReady);

        await harness.EditSourceAsync(s => s.Metadata.Annotations!.Remove(Class));

        await Eventually.ValueAsync(() => harness.Server.TryGet(path) is null ? "deleted" : null, "the ScaledObject's deletion");
        // An annotation change does not bump the generation; the condition just goes.
        await Eventually.ValueAsync(() => harness.Source() is { } s && s.Status!.Conditions!.All(c => c.Type != ConditionTypes.AutoscalerReady) ? s : null,
            "AutoscalerReady gone from the status");
        Assert.Contains(harness.Server.Requests, r => r.Method == "DELETE" && r.Path == path);
    }

    [Fact]
    public async Task Without_KEDA_the_source_says_so_and_its_adapter_still_runs()
    {
        await using var harness = await StartAsync(new KubernetesApiServerOptions { NotServedGroups = ["keda.sh"] });
        harness.SeedBroker();
        SeedShippedAutoscalerConfig(harness);
        harness.StartController();
        var created = await harness.CreateSourceAsync(Annotated([], replicas: null));

        var deployment = await Eventually.ValueAsync(() => harness.Deployment(created), "the adapter Deployment");
        await harness.MakeAvailableAsync(deployment);
        var ready = await harness.WaitForConditionAsync("Ready", "True");
        var autoscaler = await harness.WaitForConditionAsync(ConditionTypes.AutoscalerReady, "False", Reasons.KedaNotInstalled);

        Assert.Equal("Info", Fixtures.Condition(autoscaler.Status!, ConditionTypes.AutoscalerReady).Severity);
        Assert.Equal(1, (int)deployment["spec"]!["replicas"]!);
        // The scale subresource's status: current replicas and the adapter pods' selector.
        Assert.Equal(1, ready.Status!.Replicas);
        Assert.Equal("eventing.knative.dev/source=rocketmq-source-controller,eventing.knative.dev/sourceName=orders", ready.Status.Selector);
    }

    [Fact]
    public async Task A_ScaledObject_of_that_name_the_source_does_not_own_is_left_alone()
    {
        await using var harness = await StartAsync();
        harness.SeedBroker();
        SeedShippedAutoscalerConfig(harness);
        // The name derives from the source's uid, which the API server assigns: create first, reconcile after.
        var created = await harness.CreateSourceAsync(Annotated([], replicas: null));
        var name = ScaledObjectBuilder.Name(created);
        var foreign = harness.Server.Seed(ScaledObjectsPath, new JsonObject
        {
            ["apiVersion"] = "keda.sh/v1alpha1", ["kind"] = "ScaledObject", ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["scaleTargetRef"] = new JsonObject { ["name"] = "someone-else" } },
        });
        harness.StartController();

        var source = await harness.WaitForConditionAsync(ConditionTypes.AutoscalerReady, "False", Reasons.ScaledObjectNotOwned);

        Assert.Contains($"ScaledObject food/{name} already exists", Fixtures.Condition(source.Status!, ConditionTypes.AutoscalerReady).Message, StringComparison.Ordinal);
        Assert.Equal((string?)foreign["metadata"]!["resourceVersion"], (string?)harness.Server.TryGet($"{ScaledObjectsPath}/{name}")!["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Bad_annotation_values_are_reported_and_no_ScaledObject_is_written()
    {
        await using var harness = await StartAsync();
        harness.SeedBroker();
        SeedShippedAutoscalerConfig(harness);
        harness.StartController();
        await harness.CreateSourceAsync(Annotated(new() { [MaxScale] = "500", [PollingInterval] = "fast" }, replicas: null));

        var source = await harness.WaitForConditionAsync(ConditionTypes.AutoscalerReady, "False", Reasons.InvalidAutoscaling);

        Assert.Equal(
            "autoscaling.eventing.knative.dev/max-scale must be a whole number from 1 to 100, got '500'; "
            + "autoscaling.eventing.knative.dev/polling-interval must be a whole number from 1 to 3600, got 'fast'",
            Fixtures.Condition(source.Status!, ConditionTypes.AutoscalerReady).Message);
        Assert.Empty(harness.Server.List(ScaledObjectsPath));
        Assert.DoesNotContain(harness.Server.Requests, r => r.Path.StartsWith("/apis/keda.sh/", StringComparison.Ordinal) && r.Method != "GET");
    }

    [Fact]
    public async Task Editing_config_rocketmq_autoscaler_changes_the_ScaledObject_with_no_change_to_the_source_and_a_broken_edit_is_refused()
    {
        await using var harness = await StartAsync();
        harness.SeedBroker();
        SeedShippedAutoscalerConfig(harness);
        using var capture = new CapturingLoggerProvider();
        harness.StartController(Options() with { Workers = 1 }, capture.CreateLogger("RocketMqSource.Controller"));
        var created = await harness.CreateSourceAsync(Annotated([], replicas: null));
        var path = $"{ScaledObjectsPath}/{ScaledObjectBuilder.Name(created)}";
        await Eventually.ValueAsync(() => harness.Server.TryGet(path), "the ScaledObject");
        await harness.WaitForConditionAsync(ConditionTypes.AutoscalerReady, "Unknown", Reasons.ScaledObjectNotReady);
        // One worker takes keys in order: once a source created now is reconciled, so is every
        // reconcile the first source's own writes caused, and only the edit below can move its ScaledObject.
        var marker = Fixtures.Source();
        marker.Metadata.Name = "marker";
        await harness.CreateSourceAsync(marker);
        await harness.WaitForConditionAsync("SinkProvided", "True", name: "marker");

        await ReplaceAutoscalerConfigAsync(harness, AutoscalerConfig.ServerAddressKey, "http://thanos-query.monitoring.svc:9090");
        await Eventually.ValueAsync(() => ServerAddress(harness.Server.TryGet(path)) == "http://thanos-query.monitoring.svc:9090" ? "moved" : null, "the ScaledObject on the new address");
        Assert.Equal(1, harness.Source()!.Metadata.Generation);

        // No scheme: KEDA could not query it. Refused, so a source reconciled afterwards still gets the last good address.
        await ReplaceAutoscalerConfigAsync(harness, AutoscalerConfig.ServerAddressKey, "prometheus:9090");
        await Eventually.ValueAsync(() => capture.Any("Warning: config-rocketmq-autoscaler refused") ? "refused" : null, "the refusal");
        var second = Annotated([], replicas: null);
        second.Metadata.Name = "refunds";
        var refunds = await harness.CreateSourceAsync(second);
        var secondPath = $"{ScaledObjectsPath}/{ScaledObjectBuilder.Name(refunds)}";

        Assert.Equal("http://thanos-query.monitoring.svc:9090", ServerAddress(await Eventually.ValueAsync(() => harness.Server.TryGet(secondPath), "the second ScaledObject")));
        Assert.Equal("http://thanos-query.monitoring.svc:9090", ServerAddress(harness.Server.TryGet(path)));
        Assert.DoesNotContain(harness.Server.Requests, r => r.Path.StartsWith(ScaledObjectsPath, StringComparison.Ordinal) && r.Body?.Contains("prometheus:9090", StringComparison.Ordinal) == true);
    }

    /// <summary>The triggers' server address, or their several addresses comma-separated when they differ.</summary>
    private static string? ServerAddress(JsonObject? scaledObject) =>
        scaledObject?["spec"]?["triggers"] is JsonArray triggers
            ? string.Join(",", triggers.Select(t => (string?)t!["metadata"]!["serverAddress"]).Distinct())
            : null;

    private static async Task ReplaceAutoscalerConfigAsync(ControllerHarness harness, string key, string value)
    {
        var map = await harness.Client.CoreV1.ReadNamespacedConfigMapAsync(AutoscalerConfig.ConfigMapName, "rocketmq-source");
        map.Data[key] = value;
        await harness.Client.CoreV1.ReplaceNamespacedConfigMapAsync(map, AutoscalerConfig.ConfigMapName, "rocketmq-source");
    }

    internal static V1Alpha1RocketMQSource Annotated(Dictionary<string, string> annotations, int? replicas)
    {
        var source = Fixtures.Source(s => s.Replicas = replicas);
        annotations[Class] = KedaClass;
        source.Metadata.Annotations = annotations;
        return source;
    }

    /// <summary>The ConfigMap exactly as config/401-config-rocketmq-autoscaler.yaml ships it.</summary>
    internal static void SeedShippedAutoscalerConfig(ControllerHarness harness)
    {
        var shipped = Manifest.LoadConfig().Single(m => m.Kind == "ConfigMap" && m.Name == AutoscalerConfig.ConfigMapName);
        harness.Server.Seed("/api/v1/namespaces/rocketmq-source/configmaps", (JsonObject)shipped.Document.DeepClone());
    }

    /// <summary>What the KEDA operator writes once it has made the HPA for the ScaledObject.</summary>
    private static Task ReportKedaReadyAsync(ControllerHarness harness, JsonObject scaledObject)
    {
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready", ["status"] = "True", ["reason"] = "ScaledObjectReady", ["message"] = "ScaledObject is defined correctly and is ready for scaling",
                }),
            },
        };
        return harness.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), "keda.sh", "v1alpha1", "food", "scaledobjects", (string)scaledObject["metadata"]!["name"]!);
    }
}
