using System.Text;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.Contract;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.Sinks;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Status;

/// <summary>The status says what the adapter does: event source, dead-letter destination, one reason per situation.</summary>
public sealed class StatusTruthTests
{
    [Fact]
    public void The_status_event_source_is_byte_for_byte_the_source_the_adapter_puts_in_events()
    {
        // A retry topic name and RocketMQ's other allowed special character: both need escaping.
        const string topic = "%RETRY%orders|eu";
        var source = Source(s => s.Topic = topic);

        var status = StatusCalculator.Compute(source, Sink(), null, ReconcilePlanner.Plan(Inputs(source)), null, Now);

        const string expected = "/apis/v1/namespaces/food/rocketmqsources/orders#%25RETRY%25orders%7Ceu";
        Assert.Equal(expected, status.CeAttributes![0].Source);
        // The adapter's source for the same topic, as the CloudEvents SDK writes the attribute on the wire.
        var cloudEvent = new CloudEvent
        {
            Id = "1",
            Type = "dev.knative.rocketmq.event",
            Source = new EventSourceUri("food", "orders", "orders-group").For(topic),
        };
        var wire = new JsonEventFormatter().EncodeStructuredModeMessage(cloudEvent, out _);
        Assert.Equal(expected, JsonNode.Parse(Encoding.UTF8.GetString(wire.Span))!["source"]!.GetValue<string>());
    }

    [Fact]
    public void The_dead_letter_sink_is_reported_with_its_CA_certificates_and_audience_as_Knative_DeliveryStatus_does()
    {
        var source = Source();
        var deadLetter = SinkOutcome.Success(new ResolvedAddress(new Uri("https://dls.food.svc.cluster.local/"), "-----BEGIN CERTIFICATE-----\nDLS\n-----END CERTIFICATE-----\n", "dls-audience"));
        var inputs = Inputs(source, deadLetter: deadLetter);

        var plan = ReconcilePlanner.Plan(inputs);
        var status = ToJson(StatusCalculator.Compute(source, inputs.Sink, deadLetter, plan, null, Now));

        Assert.Equal("https://dls.food.svc.cluster.local/", status["deadLetterSinkUri"]!.GetValue<string>());
        Assert.StartsWith("-----BEGIN CERTIFICATE-----\nDLS", status["deadLetterSinkCACerts"]!.GetValue<string>());
        Assert.Equal("dls-audience", status["deadLetterSinkAudience"]!.GetValue<string>());
        Assert.Equal("https://dls.food.svc.cluster.local/", Env(plan.Write!, "K_DEAD_LETTER_SINK"));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----\nDLS", Env(plan.Write!, "K_DEAD_LETTER_SINK_CA_CERTS"));
        Assert.Equal("dls-audience", Env(plan.Write!, "K_DEAD_LETTER_SINK_AUDIENCE"));
    }

    [Fact]
    public void Without_a_dead_letter_sink_the_status_has_no_delivery_fields()
    {
        var source = Source();
        var inputs = Inputs(source);

        var status = ToJson(StatusCalculator.Compute(source, inputs.Sink, null, ReconcilePlanner.Plan(inputs), null, Now));

        Assert.Null(status["deadLetterSinkUri"]);
        Assert.Null(status["auth"]);
    }

    [Theory]
    [InlineData(nameof(DeploymentBlocker.InvalidSpec), "False", "InvalidSpec")]
    [InlineData(nameof(DeploymentBlocker.NotOwned), "False", "DeploymentNotOwned")]
    [InlineData(nameof(DeploymentBlocker.WaitingForSink), "Unknown", "DeploymentPending")]
    [InlineData(nameof(DeploymentBlocker.WaitingForDeadLetterSink), "Unknown", "DeploymentPending")]
    [InlineData(nameof(DeploymentBlocker.SecretNotFound), "False", "SecretNotFound")]
    [InlineData(nameof(DeploymentBlocker.SecretKeyNotFound), "False", "SecretKeyNotFound")]
    [InlineData(nameof(DeploymentBlocker.WaitingForIdentity), "Unknown", "DeploymentPending")]
    public void Each_planner_outcome_reads_as_one_Deployed_reason(string blockerName, string status, string reason)
    {
        var blocker = Enum.Parse<DeploymentBlocker>(blockerName);
        var conditions = new SourceConditions();
        conditions.MarkSink(Sink().Address!);

        conditions.MarkDeploymentBlocked(new DeploymentBlock(blocker, "why"));

        var deployed = conditions.All().Single(c => c.Type == ConditionTypes.Deployed);
        Assert.Equal((status, reason, "why"), (deployed.Status, deployed.Reason, deployed.Message));
        var ready = conditions.All()[0];
        Assert.Equal((ConditionTypes.Ready, status, reason), (ready.Type, ready.Status, ready.Reason));
    }
}
