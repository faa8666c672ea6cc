using System.Text;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Contract;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Status;

/// <summary>The status says what the adapter does: the event source it emits, the dead-letter destination it uses.</summary>
public sealed class StatusTruthTests
{
    [Fact]
    public void The_status_event_source_is_byte_for_byte_the_source_the_adapter_puts_in_events()
    {
        // A retry topic name and RocketMQ's other allowed special character: both need escaping.
        const string topic = "%RETRY%orders|eu";

        var attributes = Reconciler.CeAttributes(Source(s => s.Topic = topic))!;

        const string expected = "/apis/v1/namespaces/food/rocketmqsources/orders#%25RETRY%25orders%7Ceu";
        Assert.Equal(("dev.knative.rocketmq.event", expected), (attributes[0].Type, attributes[0].Source));
        // The adapter's source for the same topic, as the CloudEvents SDK writes the attribute on the wire.
        var cloudEvent = new CloudEvent
        {
            Id = "1",
            Type = "dev.knative.rocketmq.event",
            Source = new EventSourceUri("food", "orders", "orders-group").For(topic),
        };
        var wire = new JsonEventFormatter().EncodeStructuredModeMessage(cloudEvent, out _);
        Assert.Equal(expected, JsonNode.Parse(Encoding.UTF8.GetString(wire.Span))!["source"]!.GetValue<string>());
        Assert.Null(Reconciler.CeAttributes(Source(s => s.Topic = "")));
    }

    [Fact]
    public void The_dead_letter_sink_the_status_reports_is_the_one_the_adapter_gets()
    {
        var deadLetter = SinkResolution.Success(new ResolvedAddress(new Uri("https://dls.food.svc.cluster.local/"), "-----BEGIN CERTIFICATE-----\nDLS\n-----END CERTIFICATE-----\n", "dls-audience"));

        var plan = ReconcilePlanner.Plan(Inputs(Source(), deadLetter: deadLetter));

        Assert.Equal("https://dls.food.svc.cluster.local/", Env(plan.Write!, "K_DEAD_LETTER_SINK"));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----\nDLS", Env(plan.Write!, "K_DEAD_LETTER_SINK_CA_CERTS"));
        Assert.Equal("dls-audience", Env(plan.Write!, "K_DEAD_LETTER_SINK_AUDIENCE"));
    }
}
