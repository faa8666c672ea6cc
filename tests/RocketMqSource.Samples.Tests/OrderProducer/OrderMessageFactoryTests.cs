using System.Text.Json;
using FoodDelivery.OrderProducer.Messages;
using FoodDelivery.OrderProducer.Orders;
using FoodDelivery.OrderService.Orders;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.CloudEvents.RocketMq;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Samples.Tests.OrderProducer;

public sealed class OrderMessageFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 1, TimeSpan.Zero);

    private static readonly GeneratedOrder Order = new(
        "ORD-ABC123-0000001", "CANCELLED", "13800138000", "P1004", "Mapo tofu", 48.00m, Now.AddSeconds(-1), Now, "web");

    [Fact]
    public void With_tracing_each_order_starts_its_own_sampled_W3C_trace()
    {
        var factory = new OrderMessageFactory("orders", MessageFormat.Json, trace: true);

        var first = factory.Create(Order, Now).Properties[OrderMessageFactory.TraceParentProperty];
        var second = factory.Create(Order, Now).Properties[OrderMessageFactory.TraceParentProperty];

        var context = System.Diagnostics.ActivityContext.Parse(first, null);
        Assert.True(context.TraceFlags.HasFlag(System.Diagnostics.ActivityTraceFlags.Recorded));
        Assert.NotEqual(context.TraceId, System.Diagnostics.ActivityContext.Parse(second, null).TraceId);
        Assert.False(new OrderMessageFactory("orders", MessageFormat.Json).Create(Order, Now).Properties.ContainsKey(OrderMessageFactory.TraceParentProperty));
    }

    [Fact]
    public void A_JSON_message_carries_the_order_as_the_body_with_status_tag_order_key_and_channel_property()
    {
        var message = new OrderMessageFactory("orders", MessageFormat.Json).Create(Order, Now);

        Assert.Equal("orders", message.Topic);
        Assert.Equal("CANCELLED", message.Tag);
        Assert.Equal(["ORD-ABC123-0000001"], message.Keys);
        Assert.Equal(new Dictionary<string, string> { ["channel"] = "web" }, message.Properties);
        Assert.Equal(Order.ToJson(), message.Body);
        Assert.False(AsRocketMqMessage(message).IsCloudEvent());
    }

    [Theory]
    [InlineData(ContentMode.Binary)]
    [InlineData(ContentMode.Structured)]
    public void A_CloudEvents_message_reads_back_as_the_order_event_under_the_RocketMQ_binding(ContentMode mode)
    {
        var message = new OrderMessageFactory("orders", MessageFormat.CloudEvents, mode).Create(Order, Now);

        Assert.True(AsRocketMqMessage(message).IsCloudEvent());
        var cloudEvent = AsRocketMqMessage(message).ToCloudEvent(new JsonEventFormatter());
        Assert.Equal("ORD-ABC123-0000001.cancelled", cloudEvent.Id);
        Assert.Equal("com.example.fooddelivery.order.cancelled", cloudEvent.Type);
        Assert.Equal("/food-delivery/order-producer", cloudEvent.Source?.ToString());
        Assert.Equal("ORD-ABC123-0000001", cloudEvent.Subject);
        Assert.Equal(Now, cloudEvent.Time);
        Assert.Equal("application/json", cloudEvent.DataContentType);
        var data = Assert.IsType<JsonElement>(cloudEvent.Data);
        Assert.Equal(JsonDocument.Parse(Order.ToJson()).RootElement.GetRawText(), data.GetRawText());
        Assert.True(OrderValidator.Validate(data).IsValid);

        // RocketMQ's own routing data stays on the message in both modes.
        Assert.Equal("CANCELLED", message.Tag);
        Assert.Equal(["ORD-ABC123-0000001"], message.Keys);
        Assert.Equal("web", message.Properties["channel"]);
    }

    [Fact]
    public void Binary_mode_puts_each_attribute_in_a_CE_property_and_the_order_in_the_body()
    {
        var message = new OrderMessageFactory("orders", MessageFormat.CloudEvents, ContentMode.Binary).Create(Order, Now);

        Assert.Equal("1.0", message.Properties["CE_specversion"]);
        Assert.Equal("ORD-ABC123-0000001.cancelled", message.Properties["CE_id"]);
        Assert.Equal("com.example.fooddelivery.order.cancelled", message.Properties["CE_type"]);
        Assert.Equal("application/json", message.Properties["CE_contenttype"]);
        Assert.True(OrderValidator.Validate(JsonDocument.Parse(message.Body).RootElement).IsValid);
    }

    [Fact]
    public void Structured_mode_puts_the_whole_event_in_the_body()
    {
        var message = new OrderMessageFactory("orders", MessageFormat.CloudEvents, ContentMode.Structured).Create(Order, Now);

        Assert.StartsWith("application/cloudevents+json", message.Properties["CE_contenttype"], StringComparison.Ordinal);
        Assert.False(message.Properties.ContainsKey("CE_id"));
        var body = JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal("1.0", body.GetProperty("specversion").GetString());
        Assert.Equal("ORD-ABC123-0000001", body.GetProperty("data").GetProperty("orderId").GetString());
    }

    private static Message AsRocketMqMessage(OrderMessage message)
    {
        var builder = new Message.Builder().SetTopic(message.Topic).SetBody(message.Body);
        foreach (var (key, value) in message.Properties)
        {
            builder.AddProperty(key, value);
        }

        return builder.Build();
    }

    [Fact]
    public void A_paid_order_is_typed_paid()
    {
        var paid = Order with { OrderStatus = "PAID" };

        var cloudEvent = OrderMessageFactory.ToCloudEvent(paid, paid.ToJson(), Now);

        Assert.Equal("com.example.fooddelivery.order.paid", cloudEvent.Type);
        Assert.Equal("ORD-ABC123-0000001.paid", cloudEvent.Id);
    }
}
