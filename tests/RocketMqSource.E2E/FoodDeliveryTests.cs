using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FoodDelivery.OrderProducer;
using k8s;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Autoscaling;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.RocketMq;
using RocketMqSource.E2E.Cluster;
using RocketMqSource.E2E.Support;
using RocketMqSource.Kubernetes;
using RocketMqSource.Testing;
using Xunit.Abstractions;

namespace RocketMqSource.E2E;

/// <summary>
/// The food-delivery walkthrough on a real cluster, one step per test in order (they share the
/// cluster the fixture prepared; the last one deletes everything). Condition types, reasons,
/// labels and annotations are the controller's own constants.
/// </summary>
[Collection(FoodDeliveryCollection.Name)]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class FoodDeliveryTests(FoodDeliveryCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    /// <summary>Knative's 60 s stable window, the grace period and the sample's 30 s retention, with room for a slow node.</summary>
    private static readonly TimeSpan ScaleToZero = TimeSpan.FromMinutes(6);

    private IKubernetes Client => cluster.Client;

    private ClusterObjects Objects => cluster.Objects;

    private string SourceName => (string)cluster.Source["metadata"]!["name"]!;

    [ClusterFact, Step(1)]
    public async Task The_sample_source_is_ready_with_its_topic_routed_and_its_adapter_deployed()
    {
        var source = await WaitForConditionAsync(SourceName, ConditionTypes.RocketMQReady, "True", Reasons.TopicRouted, TimeSpan.FromMinutes(5));

        Assert.Equal("True", ClusterObjects.Condition(source, ConditionTypes.Ready)?.Status);
        Assert.Equal(Reasons.SinkResolved, ClusterObjects.Condition(source, ConditionTypes.SinkProvided)?.Reason);
        Assert.Equal(Reasons.DeploymentReady, ClusterObjects.Condition(source, ConditionTypes.Deployed)?.Reason);
        var adapters = await AdapterDeploymentsAsync(SourceName);
        Assert.Single(adapters);
        Assert.Equal((string?)source!["metadata"]!["uid"], (string?)adapters[0]["metadata"]!["ownerReferences"]![0]!["uid"]);
        var orderService = await Objects.GetAsync(ClusterObjects.TypeOf(cluster.OrderService), cluster.SampleNamespace, (string)cluster.OrderService["metadata"]!["name"]!, CancellationToken.None);
        Assert.True(ClusterObjects.Condition(orderService, "Ready")?.Status == "True", ClusterObjects.DescribeConditions(orderService));
    }

    [ClusterFact, Step(2)]
    public async Task Every_order_reaches_the_service_which_runs_zero_pods_when_idle_and_comes_back_under_load()
    {
        await WaitForOrderServicePodsAsync(0, "no order-service pod while nobody orders (scale to zero)", ScaleToZero);

        using var sampling = new CancellationTokenSource();
        var mostPods = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                mostPods = Math.Max(mostPods, await LiveOrderServicePodsAsync(CancellationToken.None));
                await Task.Delay(Poll, CancellationToken.None);
            }
        });

        // A compressed day: three meals in 90 s, nothing in between (the sample producer's own profile).
        var sent = await ProduceAsync(new ProducerOptions { Topic = (string)cluster.Source["spec"]!["topic"]!, Duration = TimeSpan.FromSeconds(90), PeakRate = 10, Seed = 2026 });
        await WaitForOrdersAsync(sent, TimeSpan.FromMinutes(5));
        await sampling.CancelAsync();
        await sampler;

        Assert.True(mostPods >= 1, "the order service never ran a pod while orders arrived");
        output.WriteLine($"{sent.Count} orders reached the service; at most {mostPods} order-service pods ran");
        await WaitForOrderServicePodsAsync(0, "the order service back to zero pods after the last meal", ScaleToZero);
    }

    [ClusterFact, Step(3)]
    public async Task A_topic_that_does_not_exist_is_reported_as_TopicNotFound()
    {
        var name = $"{SourceName}-wrong-topic";
        var source = SourceVariant(name, s => s["spec"]!["topic"] = "no-such-topic-e2e");
        await Objects.ApplyAsync(source, CancellationToken.None);

        var observed = await WaitForConditionAsync(name, ConditionTypes.RocketMQReady, "False", Reasons.TopicNotFound, TimeSpan.FromMinutes(2));

        Assert.Equal(Reasons.TopicNotFound, ClusterObjects.Condition(observed, ConditionTypes.Ready)?.Reason);
        Assert.Contains("no-such-topic-e2e", ClusterObjects.Condition(observed, ConditionTypes.RocketMQReady)!.Message, StringComparison.Ordinal);
        await DeleteSourceAsync(source);
    }

    [ClusterFact, Step(4)]
    public async Task A_wrong_secret_key_is_reported_as_Unauthorized_naming_the_access_key_only()
    {
        var secretName = "rocketmq-credentials-wrong";
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = secretName, ["namespace"] = cluster.SampleNamespace },
            ["stringData"] = new JsonObject { ["access-key"] = cluster.Settings.AccessKey, ["secret-key"] = "not-the-" + cluster.Settings.SecretKey },
        };
        await Objects.ApplyAsync(secret, CancellationToken.None);
        var name = $"{SourceName}-wrong-secret";
        var source = SourceVariant(name, s =>
        {
            s["spec"]!["credentials"]!["accessKey"]!["secretKeyRef"]!["name"] = secretName;
            s["spec"]!["credentials"]!["secretKey"]!["secretKeyRef"]!["name"] = secretName;
        });
        await Objects.ApplyAsync(source, CancellationToken.None);

        var observed = await WaitForConditionAsync(name, ConditionTypes.RocketMQReady, "False", Reasons.Unauthorized, TimeSpan.FromMinutes(2));

        var message = ClusterObjects.Condition(observed, ConditionTypes.RocketMQReady)!.Message ?? string.Empty;
        Assert.Contains(cluster.Settings.AccessKey, message, StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.Settings.SecretKey, message, StringComparison.Ordinal);
        await DeleteSourceAsync(source);
        await Objects.DeleteAsync(secret, CancellationToken.None);
    }

    [ClusterFact, Step(5)]
    public async Task KEDA_scales_the_source_from_zero_to_N_and_back_to_zero_by_its_backlog_and_deleting_it_removes_what_it_owns()
    {
        var name = $"{SourceName}-backlog";
        var source = AutoscaledSource(name);
        await Objects.ApplyAsync(source, CancellationToken.None);
        await WaitForConditionAsync(name, ConditionTypes.AutoscalerReady, "True", Reasons.ScaledObjectReady, TimeSpan.FromMinutes(3));
        Assert.Single(await ScaledObjectsAsync(name));

        // The adapter starts with one replica (it subscribes the group, so the broker reports its
        // backlog from then on); with nothing to read KEDA takes it to zero after the cooldown.
        await WaitForAdapterReplicasAsync(name, r => r == 0, "the idle source at zero adapter replicas", TimeSpan.FromMinutes(5));

        var replicas = new ConcurrentBag<int>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                replicas.Add(await AdapterReplicasAsync(name, CancellationToken.None));
                await Task.Delay(Poll, CancellationToken.None);
            }
        });
        var sent = await ProduceAsync(new ProducerOptions { Topic = FoodDeliveryCluster.BacklogTopic, Duration = TimeSpan.FromSeconds(10), PeakRate = 40, QuietRate = 20, MaxOrders = 200, Seed = 7 });
        await WaitForOrdersAsync(sent, TimeSpan.FromMinutes(5));
        await WaitForAdapterReplicasAsync(name, r => r == 0, "the source back at zero adapter replicas once its backlog drained", TimeSpan.FromMinutes(5));
        await sampling.CancelAsync();
        await sampler;

        Assert.True(replicas.Max() >= 1, "KEDA never scaled the source up while it had a backlog");
        output.WriteLine($"{sent.Count} orders drained; the source went 0 -> {replicas.Max()} -> 0 adapter replicas");

        await DeleteSourceAsync(source);
        Assert.Empty(await ScaledObjectsAsync(name));
    }

    /// <summary>
    /// The broker forgets a POP group with no consumer online once its last POP is older than
    /// subscriptionExpiredTimeout (60 s in hack/e2e/rocketmq.yaml instead of 10 min) and then
    /// exports no backlog for it; the ScaledObject's wake trigger takes the source from zero on the
    /// next order anyway (docs/e2e.md, "backlog metrics of an idle group").
    /// </summary>
    [ClusterFact, Step(6)]
    public async Task KEDA_wakes_a_source_at_zero_whose_group_the_broker_has_forgotten()
    {
        var name = $"{SourceName}-wake";
        var source = AutoscaledSource(name);
        await Objects.ApplyAsync(source, CancellationToken.None);
        await WaitForConditionAsync(name, ConditionTypes.AutoscalerReady, "True", Reasons.ScaledObjectReady, TimeSpan.FromMinutes(3));
        Assert.Equal(["backlog", "wake"], (await ScaledObjectsAsync(name)).Single()["spec"]!["triggers"]!.AsArray().Select(t => (string?)t!["name"]));
        await WaitForAdapterReplicasAsync(name, r => r == 0, "the idle source at zero adapter replicas", TimeSpan.FromMinutes(5));

        // The broker's exporter no longer has the group's backlog series (Prometheus marks them stale when a scrape lacks them).
        await using var prometheus = await ProxyTunnel.OpenAsync(cluster.Client, "monitoring", "prometheus-operated", 9090, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{prometheus.Endpoint}") };
        var readySeries = $"rocketmq_consumer_ready_messages{{consumer_group=\"{FoodDeliveryCluster.BacklogGroup}\"}}";
        var seen = -1;
        await Eventually.WaitAsync(
            async token => (seen = await SeriesCountAsync(http, readySeries, token)) == 0,
            "the broker no longer reporting the group's backlog", TimeSpan.FromMinutes(4), Poll, () => $"{seen} series");

        var sent = await ProduceAsync(new ProducerOptions { Topic = FoodDeliveryCluster.BacklogTopic, Duration = TimeSpan.FromSeconds(2), PeakRate = 1, QuietRate = 1, MaxOrders = 1, CancelRatio = 0, Seed = 11 });
        await WaitForOrdersAsync(sent, TimeSpan.FromMinutes(3));
        output.WriteLine($"order {sent[0].OrderId} sent to a forgotten group was delivered");

        await DeleteSourceAsync(source);
    }

    [ClusterFact, Step(7)]
    public async Task Deleting_the_sample_and_the_release_leaves_nothing_behind()
    {
        // The source alone first: its adapter Deployment goes by its owner reference, the namespace still there.
        await DeleteSourceAsync(cluster.Source);

        foreach (var manifest in cluster.Sample.Reverse())
        {
            await Objects.DeleteAsync(manifest, CancellationToken.None);
        }

        foreach (var manifest in cluster.Release.Reverse())
        {
            await Objects.DeleteAsync(manifest, CancellationToken.None);
        }

        var everything = cluster.Sample.Concat(cluster.Release).ToList();
        var left = everything;
        await Eventually.WaitAsync(
            async token =>
            {
                var still = new List<JsonObject>();
                foreach (var manifest in everything)
                {
                    if (await Objects.ExistsAsync(manifest, token))
                    {
                        still.Add(manifest);
                    }
                }

                left = still;
                return left.Count == 0;
            },
            "every object of the sample and the release deleted", TimeSpan.FromMinutes(5), Poll,
            () => string.Join(", ", left.Select(m => $"{m["kind"]} {ClusterObjects.NamespaceOf(m)}/{m["metadata"]!["name"]}")));
    }

    /// <summary>A source on the backlog topic and group with the KEDA annotations: min 0, max 3, polling 5 s, cooldown 20 s, lag threshold 10.</summary>
    private JsonObject AutoscaledSource(string name) => SourceVariant(name, s =>
    {
        s["metadata"]!["annotations"] = new JsonObject
        {
            [AutoscalingAnnotations.Class] = AutoscalingAnnotations.KedaClass,
            [AutoscalingAnnotations.MinScale] = "0",
            [AutoscalingAnnotations.MaxScale] = "3",
            [AutoscalingAnnotations.PollingInterval] = "5",
            [AutoscalingAnnotations.CooldownPeriod] = "20",
            [AutoscalingAnnotations.LagThreshold] = "10",
        };
        s["spec"]!["topic"] = FoodDeliveryCluster.BacklogTopic;
        s["spec"]!["consumerGroup"] = FoodDeliveryCluster.BacklogGroup;
    });

    /// <summary>How many series an instant query returns (Prometheus HTTP API /api/v1/query, data.result).</summary>
    private static async Task<int> SeriesCountAsync(HttpClient prometheus, string query, CancellationToken cancellationToken)
    {
        var body = await prometheus.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}", cancellationToken);
        return JsonNode.Parse(body)!["data"]!["result"]!.AsArray().Count;
    }

    private JsonObject SourceVariant(string name, Action<JsonObject> change)
    {
        var copy = cluster.Source.DeepClone().AsObject();
        copy["metadata"]!["name"] = name;
        change(copy);
        return copy;
    }

    private async Task<List<SentOrder>> ProduceAsync(ProducerOptions options)
    {
        options.Endpoints = cluster.ProxyEndpoint;
        options.AccessKey = cluster.Settings.AccessKey;
        options.SecretKey = cluster.Settings.SecretKey;
        options.Concurrency = 8;
        var result = await OrderProducerRunner.RunAsync(options);

        Assert.True(result.Failed == 0, "RocketMQ refused orders: " + string.Join("; ", result.Failures.Take(5).Select(f => $"{f.OrderId}: {f.Error}")));
        Assert.NotEmpty(result.Orders);
        return [.. result.Orders];
    }

    private async Task WaitForOrdersAsync(IReadOnlyList<SentOrder> sent, TimeSpan timeout)
    {
        var missing = sent.Select(o => o.OrderId).ToList();
        await Eventually.WaitAsync(
            _ =>
            {
                var accepted = cluster.OrderLog.AcceptedOrderIds.ToHashSet(StringComparer.Ordinal);
                missing = [.. sent.Select(o => o.OrderId).Where(id => !accepted.Contains(id))];
                return Task.FromResult(missing.Count == 0);
            },
            $"all {sent.Count} orders in the order service's log", timeout, Poll,
            () => $"{missing.Count} missing (first {string.Join(", ", missing.Take(5))}); {cluster.OrderLog.PodsFollowed} pods followed");
    }

    private async Task<JsonObject?> WaitForConditionAsync(string sourceName, string type, string status, string reason, TimeSpan timeout)
    {
        JsonObject? observed = null;
        await Eventually.WaitAsync(
            async token =>
            {
                observed = await Objects.GetAsync(V1Alpha1RocketMQSource.Resource, cluster.SampleNamespace, sourceName, token);
                var condition = ClusterObjects.Condition(observed, type);
                return condition?.Status == status && condition.Reason == reason;
            },
            $"{sourceName}: {type}={status} {reason}", timeout, Poll, () => ClusterObjects.DescribeConditions(observed));
        return observed;
    }

    /// <summary>Deletes a source and waits until the API server's garbage collector removed its adapter Deployment and any ScaledObject.</summary>
    private async Task DeleteSourceAsync(JsonObject source)
    {
        var name = (string)source["metadata"]!["name"]!;
        await Objects.DeleteAsync(source, CancellationToken.None);
        var left = 0;
        await Eventually.WaitAsync(
            async token =>
            {
                left = (await AdapterDeploymentsAsync(name, token)).Count + (await ScaledObjectsAsync(name, token)).Count;
                return left == 0 && !await Objects.ExistsAsync(source, token);
            },
            $"{name} and what it owns deleted", TimeSpan.FromMinutes(3), Poll, () => $"{left} owned objects left");
    }

    private static string AdapterSelector(string sourceName) =>
        $"{AdapterNames.SourceLabel}={AdapterNames.ControllerAgentName},{AdapterNames.SourceNameLabel}={AdapterNames.SourceNameValue(sourceName)}";

    private Task<IReadOnlyList<JsonObject>> AdapterDeploymentsAsync(string sourceName, CancellationToken cancellationToken = default) =>
        Objects.ListAsync(ResourceType.Deployments, cluster.SampleNamespace, AdapterSelector(sourceName), cancellationToken);

    private Task<IReadOnlyList<JsonObject>> ScaledObjectsAsync(string sourceName, CancellationToken cancellationToken = default) =>
        Objects.ListAsync(ScaledObjectBuilder.Resource, cluster.SampleNamespace, AdapterSelector(sourceName), cancellationToken);

    /// <summary>The adapter's replica count: what KEDA asked for (the Deployment's spec), and pods still running count too.</summary>
    private async Task<int> AdapterReplicasAsync(string sourceName, CancellationToken cancellationToken)
    {
        var deployment = (await AdapterDeploymentsAsync(sourceName, cancellationToken)).SingleOrDefault();
        var wanted = (int?)deployment?["spec"]?["replicas"] ?? 0;
        var pods = await Client.CoreV1.ListNamespacedPodAsync(cluster.SampleNamespace, labelSelector: AdapterSelector(sourceName), cancellationToken: cancellationToken);
        return Math.Max(wanted, pods.Items.Count(p => p.Metadata.DeletionTimestamp is null));
    }

    private async Task WaitForAdapterReplicasAsync(string sourceName, Func<int, bool> wanted, string what, TimeSpan timeout)
    {
        var seen = -1;
        await Eventually.WaitAsync(
            async token => wanted(seen = await AdapterReplicasAsync(sourceName, token)), what, timeout, Poll, () => $"{seen} replicas");
    }

    /// <summary>Order-service pods that run or are starting (not the ones being deleted).</summary>
    private async Task<int> LiveOrderServicePodsAsync(CancellationToken cancellationToken)
    {
        var selector = $"{FoodDeliveryCluster.KnativeServiceLabel}={cluster.OrderService["metadata"]!["name"]}";
        var pods = await Client.CoreV1.ListNamespacedPodAsync(cluster.SampleNamespace, labelSelector: selector, cancellationToken: cancellationToken);
        return pods.Items.Count(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed"));
    }

    private async Task WaitForOrderServicePodsAsync(int count, string what, TimeSpan timeout)
    {
        var seen = -1;
        await Eventually.WaitAsync(async token => (seen = await LiveOrderServicePodsAsync(token)) == count, what, timeout, Poll, () => $"{seen} pods");
    }
}
