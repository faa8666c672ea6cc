using System.Diagnostics.Metrics;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Tests.Support;

namespace RocketMqSource.Adapter.Tests.Delivery;

public sealed class AdapterTelemetryTests
{
    private static AttemptResult Answered(int code) => new(code, ReadOnlyMemory<byte>.Empty, null, null);

    [Fact]
    public void Cached_tag_sets_keep_each_status_code_apart_and_carry_the_topic_and_group()
    {
        using var telemetry = new AdapterTelemetry("orders", "orders-group");
        using var metrics = new RecordedMetrics(telemetry.Meter);
        var tagSets = new List<Dictionary<string, object?>>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, telemetry.Meter) && instrument.Name == "rocketmqsource.events.delivered")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => tagSets.Add(new Dictionary<string, object?>(tags.ToArray())));
        listener.Start();

        telemetry.Delivered(Answered(202));
        telemetry.Delivered(Answered(202));
        telemetry.Delivered(Answered(200));
        telemetry.Delivered(Answered(999));
        telemetry.Delivered(AttemptResult.NoResponse("timeout"));

        Assert.Equal(2, metrics.Sum("rocketmqsource.events.delivered", "202"));
        Assert.Equal(1, metrics.Sum("rocketmqsource.events.delivered", "200"));
        Assert.Equal(1, metrics.Sum("rocketmqsource.events.delivered", "999"));
        Assert.Equal(1, metrics.Sum("rocketmqsource.events.delivered", "none"));
        Assert.All(tagSets, tags =>
        {
            Assert.Equal("rocketmq", tags["messaging.system"]);
            Assert.Equal("orders", tags["messaging.destination.name"]);
            Assert.Equal("orders-group", tags["messaging.consumer.group.name"]);
        });
        Assert.Equal("no_response", tagSets[^1][AdapterTelemetry.ErrorTypeTag]);
        Assert.False(tagSets[^1].ContainsKey(AdapterTelemetry.StatusCodeTag));
    }

    [Fact]
    public void The_in_flight_gauge_reads_messages_held_minus_released()
    {
        using var telemetry = new AdapterTelemetry("orders", "orders-group");
        using var metrics = new RecordedMetrics(telemetry.Meter);

        Assert.Equal(0, metrics.Observe("rocketmqsource.messages.in_flight"));
        telemetry.Held();
        telemetry.Held();
        telemetry.Held();
        telemetry.Released();

        Assert.Equal(2, metrics.Observe("rocketmqsource.messages.in_flight"));
    }
}
