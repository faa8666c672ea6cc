using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using FoodDelivery.OrderProducer.Orders;
using RocketMqSource.CloudEvents.RocketMq;

namespace FoodDelivery.OrderProducer.Messages;

/// <summary>
/// Turns an order into the RocketMQ message that carries it. Either way the tag is the order
/// status (so RocketMQ TAG filters and the source's rocketmqtag extension can route on it), the
/// key is the order id (so `mqadmin queryMsgByKey` finds it) and the sales channel is a user property.
/// </summary>
internal sealed class OrderMessageFactory(string topic, MessageFormat format, ContentMode cloudEventsMode = ContentMode.Binary, bool trace = false)
{
    public const string ChannelProperty = "channel";

    /// <summary>The W3C trace context user property RocketMQSource continues (its consumer span, then the sink's traceparent header).</summary>
    public const string TraceParentProperty = "traceparent";
    public const string EventSource = "/food-delivery/order-producer";
    public const string EventTypePrefix = "com.example.fooddelivery.order.";

    private static readonly JsonEventFormatter Formatter = new();

    public OrderMessage Create(GeneratedOrder order, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        var json = order.ToJson();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { [ChannelProperty] = order.Channel };
        if (trace)
        {
            // A new sampled trace per order, as an instrumented producer's send span would start one.
            properties[TraceParentProperty] = $"00-{System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString()}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01";
        }

        var body = json;
        if (format == MessageFormat.CloudEvents)
        {
            var carried = ToCloudEvent(order, json, now).ToRocketMqMessage(cloudEventsMode, Formatter).SetTopic(topic).Build();
            foreach (var (key, value) in carried.Properties)
            {
                properties[key] = value;
            }

            body = carried.Body;
        }

        return new OrderMessage(order.OrderId, topic, order.OrderStatus, [order.OrderId], properties, body);
    }

    /// <summary>The order event: one id per order and status, typed by status so Triggers can filter on type.</summary>
    public static CloudEvent ToCloudEvent(GeneratedOrder order, byte[] json, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        using var document = JsonDocument.Parse(json);
        var status = order.OrderStatus.ToLowerInvariant();
        return new CloudEvent
        {
            Id = $"{order.OrderId}.{status}",
            Source = new Uri(EventSource, UriKind.Relative),
            Type = EventTypePrefix + status,
            Subject = order.OrderId,
            Time = now,
            DataContentType = "application/json",
            Data = document.RootElement.Clone(),
        };
    }
}
