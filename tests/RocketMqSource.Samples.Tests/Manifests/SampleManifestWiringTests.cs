using System.Globalization;
using System.Text.Json.Nodes;
using FoodDelivery.OrderProducer.Messages;
using FoodDelivery.OrderProducer.Orders;
using FoodDelivery.OrderService;
using FoodDelivery.OrderService.Delivery;
using FoodDelivery.OrderService.Http;
using CloudNative.CloudEvents;

namespace RocketMqSource.Samples.Tests.Manifests;

/// <summary>The sample's objects refer to each other correctly, and the Triggers route the events the system really makes.</summary>
public sealed class SampleManifestWiringTests(SampleManifests manifests) : IClassFixture<SampleManifests>
{
    private const string Namespace = "food-delivery";

    private JsonObject OrderService => manifests.Single("Service", "serving.knative.dev/").Document;

    private JsonObject Source => manifests.Single("RocketMQSource").Document;

    [Fact]
    public void Everything_lives_in_the_food_delivery_namespace_which_is_applied_first()
    {
        Assert.Equal("Namespace", manifests.Config[0].Kind);
        Assert.Equal(Namespace, manifests.Config[0].Name);
        Assert.All(manifests.Config.Skip(1), m => Assert.Equal(Namespace, (string?)m.Document["metadata"]?["namespace"]));
    }

    [Fact]
    public void Triggers_subscribe_the_order_service_to_the_Broker_the_source_sends_to()
    {
        var broker = manifests.Single("Broker").Name;
        var sink = Source["spec"]!["sink"]!["ref"]!;

        Assert.Equal(("eventing.knative.dev/v1", "Broker", broker), ((string?)sink["apiVersion"], (string?)sink["kind"], (string?)sink["name"]));
        Assert.NotEmpty(manifests.All("Trigger"));
        foreach (var trigger in manifests.All("Trigger"))
        {
            Assert.Equal(broker, (string?)trigger.Document["spec"]!["broker"]);
            var subscriber = trigger.Document["spec"]!["subscriber"]!["ref"]!;
            Assert.Equal(("serving.knative.dev/v1", "Service", "order-service"), ((string?)subscriber["apiVersion"], (string?)subscriber["kind"], (string?)subscriber["name"]));
        }

        Assert.Equal("order-service", (string?)OrderService["metadata"]!["name"]);
    }

    [Fact]
    public void The_source_reads_its_credentials_from_keys_the_Secret_has_and_the_Secret_holds_only_placeholders()
    {
        var secret = manifests.Single("Secret").Document;
        var data = secret["stringData"]!.AsObject();
        var credentials = Source["spec"]!["credentials"]!.AsObject();

        foreach (var (_, reference) in credentials)
        {
            var keyRef = reference!["secretKeyRef"]!;
            Assert.Equal((string?)secret["metadata"]!["name"], (string?)keyRef["name"]);
            Assert.True(data.ContainsKey((string)keyRef["key"]!), $"the Secret has no key {keyRef["key"]}");
        }

        Assert.All(data, pair => Assert.StartsWith("REPLACE_WITH_", (string?)pair.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void The_source_reaches_the_dev_RocketMQ_proxy_on_its_gRPC_port()
    {
        var service = manifests.RocketMqDev.Single(m => m.Kind == "Service").Document;
        var grpc = service["spec"]!["ports"]!.AsArray().Single(p => (string?)p!["name"] == "grpc")!;
        var expected = $"{service["metadata"]!["name"]}.{service["metadata"]!["namespace"]}.svc.cluster.local:{grpc["port"]}";

        Assert.Equal(expected, (string?)Source["spec"]!["endpoints"]);
        Assert.Equal(8081L, (long?)grpc["port"]);
    }

    [Fact]
    public void The_source_lets_through_exactly_the_tags_the_producer_sets()
    {
        var expression = (string)Source["spec"]!["filter"]!["expression"]!;
        var tags = expression.Split("||", StringSplitOptions.TrimEntries).Order();

        Assert.Equal(new[] { GeneratedOrder.Cancelled, GeneratedOrder.Paid }, tags);
    }

    [Fact]
    public void The_order_service_scales_to_zero_and_back_with_a_60s_window()
    {
        var annotations = OrderService["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject();
        string Annotation(string name) => (string?)annotations[$"autoscaling.knative.dev/{name}"] ?? throw new Xunit.Sdk.XunitException($"no {name} annotation");

        Assert.Equal("0", Annotation("min-scale"));
        Assert.InRange(int.Parse(Annotation("max-scale"), CultureInfo.InvariantCulture), 2, 100);
        Assert.Equal("kpa.autoscaling.knative.dev", Annotation("class"));
        Assert.Equal("rps", Annotation("metric"));
        Assert.InRange(int.Parse(Annotation("target"), CultureInfo.InvariantCulture), 1, 100);
        Assert.Equal("60s", Annotation("window"));
        Assert.Equal("30s", Annotation("scale-to-zero-pod-retention-period"));
    }

    [Fact]
    public void The_order_service_container_is_restricted_listens_on_8080_and_is_probed_on_health()
    {
        var container = OrderService["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        var security = container["securityContext"]!;

        Assert.True((bool?)security["runAsNonRoot"]);
        Assert.False((bool?)security["allowPrivilegeEscalation"]);
        Assert.True((bool?)security["readOnlyRootFilesystem"]);
        Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c));
        Assert.Equal("RuntimeDefault", (string?)security["seccompProfile"]!["type"]);

        var port = (long?)container["ports"]![0]!["containerPort"];
        Assert.Equal((long)OrderServiceApp.DefaultPort, port);
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            Assert.Equal("/health", (string?)container[probe]!["httpGet"]!["path"]);
            Assert.Equal(port, (long?)container[probe]!["httpGet"]!["port"]);
        }
    }

    [Theory]
    [InlineData("PAID", "paid-orders")]
    [InlineData("CANCELLED", "cancelled-orders")]
    public void A_plain_order_message_converted_by_the_source_reaches_the_service_through_one_Trigger(string tag, string trigger)
    {
        // The attributes the source gives a plain RocketMQ message (docs/adapter.md, "CloudEvent for a plain message").
        var attributes = new Dictionary<string, string>
        {
            ["specversion"] = "1.0",
            ["id"] = "7F00000100002A9F0000000000000001",
            ["source"] = "/apis/v1/namespaces/food-delivery/rocketmqsources/orders#orders",
            ["type"] = "dev.knative.rocketmq.event",
            ["subject"] = tag,
            ["datacontenttype"] = "application/json",
            ["rocketmqtopic"] = "orders",
            ["rocketmqtag"] = tag,
            ["rocketmqkeys"] = "ORD-1",
        };

        Assert.Equal([trigger], MatchingTriggers(attributes));
    }

    [Theory]
    [InlineData(GeneratedOrder.Paid)]
    [InlineData(GeneratedOrder.Cancelled)]
    public void An_order_sent_as_a_CloudEvent_reaches_the_service_through_the_CloudEvents_Trigger(string status)
    {
        var order = new GeneratedOrder("ORD-1", status, "13800138000", "P1001", "Beef noodle soup", 38m, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "app");

        var cloudEvent = OrderMessageFactory.ToCloudEvent(order, order.ToJson(), DateTimeOffset.UnixEpoch);

        Assert.Equal(["order-cloudevents"], MatchingTriggers(AttributesOf(cloudEvent)));
    }

    [Theory]
    [InlineData(DeliveryOrder.Dispatch)]
    [InlineData(DeliveryOrder.Cancel)]
    public void The_service_s_reply_events_match_no_Trigger_so_nothing_loops_back_to_it(string action)
    {
        var delivery = new DeliveryOrder("dlv-ORD-1", "ORD-1", action, [new("P1001", "Beef noodle soup", 1)], 38m, "13800138000", null);

        var reply = DeliveryReply.For(delivery, DateTimeOffset.UnixEpoch);

        Assert.Empty(MatchingTriggers(AttributesOf(reply)));
    }

    /// <summary>Knative's attributes filter: every listed attribute present with exactly that value.</summary>
    private List<string> MatchingTriggers(IReadOnlyDictionary<string, string> attributes) =>
        manifests.All("Trigger")
            .Where(t => t.Document["spec"]!["filter"]!["attributes"]!.AsObject()
                .All(f => attributes.TryGetValue(f.Key, out var value) && value == (string?)f.Value))
            .Select(t => t.Name)
            .ToList();

    private static Dictionary<string, string> AttributesOf(CloudEvent cloudEvent) =>
        cloudEvent.GetPopulatedAttributes().ToDictionary(a => a.Key.Name, a => a.Key.Format(a.Value));
}
