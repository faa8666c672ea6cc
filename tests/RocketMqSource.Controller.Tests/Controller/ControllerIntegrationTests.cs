using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using static RocketMqSource.Controller.Tests.Controller.ControllerHarness;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>The controller against an API-server double over loopback HTTP.</summary>
public sealed class ControllerIntegrationTests : IAsyncLifetime
{
    private ControllerHarness harness = null!;

    public async Task InitializeAsync() => harness = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task A_source_and_its_Broker_become_an_owned_Deployment_and_a_Ready_status()
    {
        harness.SeedBroker();
        harness.StartController();
        var created = await harness.CreateSourceAsync();

        var pending = await harness.WaitForConditionAsync("Deployed", "Unknown", Reasons.DeploymentProgressing);
        var deployment = harness.Deployment(created)!;
        var owner = deployment["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(created.Metadata.Uid, owner["uid"]!.GetValue<string>());
        Assert.True(owner["controller"]!.GetValue<bool>());
        Assert.Equal("True", pending.Status!.Conditions!.Single(c => c.Type == "SinkProvided").Status);
        Assert.Equal("http://broker-ingress.knative-eventing.svc.cluster.local/food/default", pending.Status.SinkUri);
        Assert.Equal("/apis/v1/namespaces/food/rocketmqsources/orders#orders", pending.Status.CeAttributes![0].Source);
        Assert.Equal(1, pending.Status.ObservedGeneration);
        // Status goes through the status subresource only; the controller never writes the spec.
        var sourceWrites = harness.Server.Requests.Where(r => r.Method is "PUT" or "PATCH" && r.Path.StartsWith(SourcesPath, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sourceWrites);
        Assert.All(sourceWrites, r => Assert.EndsWith("/status", r.Path, StringComparison.Ordinal));

        await harness.MakeAvailableAsync(deployment);
        var ready = await harness.WaitForConditionAsync("Ready", "True");

        Assert.Equal("True", ready.Status!.Conditions!.Single(c => c.Type == "Deployed").Status);
        await Eventually.ValueAsync(() => harness.Server.List("/apis/events.k8s.io/v1/namespaces/food/events")
            .FirstOrDefault(e => (string?)e["reason"] == Reasons.DeploymentCreated && (string?)e["regarding"]!["name"] == "orders"), "a DeploymentCreated event");
    }

    [Fact]
    public async Task A_reconcile_of_an_unchanged_source_writes_nothing()
    {
        harness.SeedBroker();
        var runtime = harness.StartController();
        var created = await harness.CreateSourceAsync();
        await harness.WaitForConditionAsync("Deployed", "Unknown");
        await harness.MakeAvailableAsync(harness.Deployment(created)!);
        await harness.WaitForConditionAsync("Ready", "True");
        await Eventually.ValueAsync(() => runtime.Metrics.QueueDepth() == 0 ? "idle" : null, "idle queue");
        harness.Server.ClearRequests();
        var before = runtime.Metrics.Reconciles;

        // A change the controller does not own (a label someone else adds) triggers a reconcile...
        var name = harness.Deployment(created)!["metadata"]!["name"]!.GetValue<string>();
        await harness.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Merge(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "food" } } }), name, "food");
        await Eventually.ValueAsync(() => runtime.Metrics.Reconciles > before ? "reconciled" : null, "a reconcile");

        // ...which sends nothing, not even a read (everything comes from the caches): no update loop.
        Assert.DoesNotContain(harness.Server.Requests, r => !r.IsWatch && !(r.Method == "PATCH" && r.Path.Contains("/deployments/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Changing_the_topic_updates_the_adapter_environment()
    {
        harness.SeedBroker();
        harness.StartController();
        var created = await harness.CreateSourceAsync();
        await harness.WaitForConditionAsync("Deployed", "Unknown");

        await harness.EditSourceAsync(s => s.Spec!.Topic = "refunds");

        var updated = await Eventually.ValueAsync(() => harness.Deployment(created) is { } d && Fixtures.Env(d, "ROCKETMQ_TOPIC") == "refunds" ? d : null, "topic in env");
        var status = await Eventually.ValueAsync(() => harness.Source() is { Status.ObservedGeneration: 2 } s ? s : null, "observedGeneration 2");
        Assert.Equal("/apis/v1/namespaces/food/rocketmqsources/orders#refunds", status.Status!.CeAttributes![0].Source);
        Assert.Equal(2, updated["metadata"]!["generation"]!.GetValue<long>());
        await Eventually.ValueAsync(() => harness.Server.List("/apis/events.k8s.io/v1/namespaces/food/events").Any(e => (string?)e["reason"] == Reasons.DeploymentUpdated) ? "event" : null, "DeploymentUpdated event");
    }

    [Fact]
    public async Task A_failing_reconcile_is_retried_with_backoff_and_shown_as_a_Warning()
    {
        harness.SeedBroker();
        var failures = 0;
        harness.Server.FailureInjector = r =>
            r.Method == "POST" && r.Path.EndsWith("/deployments", StringComparison.Ordinal) && Interlocked.Increment(ref failures) <= 3 ? 500 : null;
        var runtime = harness.StartController();

        var created = await harness.CreateSourceAsync();

        await Eventually.ValueAsync(() => harness.Deployment(created), "the Deployment after the retries");
        Assert.Equal(3, runtime.Metrics.Errors);
        var warning = await Eventually.ValueAsync(() => harness.Server.List("/apis/events.k8s.io/v1/namespaces/food/events")
            .FirstOrDefault(e => (string?)e["reason"] == Reasons.ReconcileFailed), "a ReconcileFailed Warning");
        Assert.Equal("Warning", (string?)warning["type"]);
        Assert.StartsWith("reconcile failed and will be retried: Kubernetes API 500", (string?)warning["note"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_Broker_turns_SinkProvided_False()
    {
        harness.SeedBroker();
        harness.StartController();
        await harness.CreateSourceAsync();
        await harness.WaitForConditionAsync("SinkProvided", "True");

        await harness.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("eventing.knative.dev", "v1", "food", "brokers", "default");

        var lost = await harness.WaitForConditionAsync("SinkProvided", "False", Reasons.SinkNotFound);
        Assert.Equal("Broker food/default not found", lost.Status!.Conditions!.Single(c => c.Type == "Ready").Message);
        Assert.Null(lost.Status.SinkUri);
        // The Warning is recorded right after the status write.
        await Eventually.ValueAsync(() => harness.Server.List("/apis/events.k8s.io/v1/namespaces/food/events")
            .FirstOrDefault(e => (string?)e["reason"] == Reasons.SinkNotFound && (string?)e["type"] == "Warning"), "a SinkNotFound Warning");
    }

    [Fact]
    public async Task A_Broker_that_appears_later_unblocks_the_source()
    {
        harness.StartController();
        var created = await harness.CreateSourceAsync();
        await harness.WaitForConditionAsync("SinkProvided", "False", Reasons.SinkNotFound);
        Assert.Null(harness.Deployment(created));

        harness.SeedBroker();

        await harness.WaitForConditionAsync("SinkProvided", "True");
        Assert.NotNull(harness.Deployment(created));
    }

    [Fact]
    public async Task A_missing_credentials_Secret_is_reported_and_its_creation_deploys_the_adapter()
    {
        harness.SeedBroker();
        harness.StartController();
        var source = Fixtures.Source(s => s.Credentials = new RocketMQCredentials
        {
            AccessKey = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "rmq-credentials", Key = "accessKey" } },
            SecretKey = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "rmq-credentials", Key = "secretKey" } },
        });
        var created = await harness.CreateSourceAsync(source);

        var blocked = await harness.WaitForConditionAsync("Deployed", "False", Reasons.SecretNotFound);
        Assert.Equal("Secret food/rmq-credentials referenced by spec.credentials.accessKey not found", blocked.Status!.Conditions!.Single(c => c.Type == "Ready").Message);
        Assert.Null(harness.Deployment(created));

        harness.Server.Seed("/api/v1/namespaces/food/secrets", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "rmq-credentials" },
            ["data"] = new JsonObject { ["accessKey"] = "YWs=", ["secretKey"] = "c2s=" },
        });

        var deployment = await Eventually.ValueAsync(() => harness.Deployment(created), "the adapter Deployment");
        Assert.Equal("rmq-credentials", Fixtures.EnvVar(deployment, "ROCKETMQ_SECRET_KEY")!["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>());
        Assert.DoesNotContain("c2s=", deployment.ToJsonString(), StringComparison.Ordinal);

        // Rotating the credentials re-rolls the adapter pods (env from a Secret is read at pod start).
        var before = PodAnnotation(deployment);
        await harness.Client.CoreV1.PatchNamespacedSecretAsync(Merge(new JsonObject { ["data"] = new JsonObject { ["secretKey"] = "bmV3" } }), "rmq-credentials", "food");
        await Eventually.ValueAsync(() => harness.Deployment(created) is { } d && PodAnnotation(d) != before ? d : null, "a new pod template");
    }

    private static string? PodAnnotation(JsonObject deployment) =>
        (string?)deployment["spec"]!["template"]!["metadata"]!["annotations"]![AdapterDeploymentBuilder.SecretVersionsAnnotation];

    [Fact]
    public async Task Deleting_the_source_garbage_collects_the_Deployment()
    {
        harness.SeedBroker();
        harness.StartController();
        var created = await harness.CreateSourceAsync();
        await Eventually.ValueAsync(() => harness.Deployment(created), "the adapter Deployment");

        await harness.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(V1Alpha1RocketMQSource.Group, "v1alpha1", "food", "rocketmqsources", "orders");

        await Eventually.ValueAsync(() => harness.Deployment(created) is null ? "gone" : null, "garbage collection");
        // The owner reference did it; the controller needs (and has) no delete permission.
        Assert.DoesNotContain(harness.Server.Requests, r => r.Method == "DELETE" && r.Path.Contains("/deployments", StringComparison.Ordinal));
    }

    private static V1Patch Merge(JsonObject patch) => new(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
}
