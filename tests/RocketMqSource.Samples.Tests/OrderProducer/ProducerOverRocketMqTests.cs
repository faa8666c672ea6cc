using System.Text.Json;
using FoodDelivery.OrderProducer;
using FoodDelivery.OrderProducer.Messages;
using FoodDelivery.OrderService.Orders;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.CloudEvents.RocketMq;

namespace RocketMqSource.Samples.Tests.OrderProducer;

/// <summary>
/// The producer through our RocketMQ client to the emulator, read back with our SimpleConsumer:
/// what a RocketMQSource adapter would receive.
/// </summary>
public sealed class ProducerOverRocketMqTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private ProducerOptions Options(string topic, MessageFormat format, ContentMode mode = ContentMode.Binary, int orders = 6) => new()
    {
        Endpoints = fixture.Emulator.Endpoint,
        Topic = topic,
        Format = format,
        CloudEventsMode = mode,
        PeakRate = 1,
        QuietRate = 200,
        Duration = TimeSpan.FromMinutes(1),
        MaxOrders = orders,
        CancelRatio = 0.5,
        Seed = 2026,
        // Generous: the first call also connects and JIT-compiles, and CI machines are shared.
        RequestTimeout = TimeSpan.FromSeconds(15),
    };

    [Fact]
    public async Task Plain_orders_arrive_as_JSON_bodies_tagged_with_the_status_keyed_by_order_id_with_the_channel_property()
    {
        await using var consumer = await fixture.ConsumerAsync("orders-json", "GID_json");

        var result = await OrderProducerRunner.RunAsync(Options("orders-json", MessageFormat.Json));
        var received = await EmulatorFixture.ReceiveAsync(consumer, 6);

        Assert.Equal(6, result.Sent);
        Assert.Equal(result.Orders.Select(o => o.MessageId).Order(), received.Select(m => m.MessageId).Order());
        foreach (var message in received)
        {
            var validation = OrderValidator.Validate(JsonDocument.Parse(message.Body).RootElement);
            Assert.True(validation.IsValid, string.Join("; ", validation.Errors));
            var order = validation.Order!;
            Assert.Equal(order.Status == OrderStatus.Paid ? "PAID" : "CANCELLED", message.Tag);
            Assert.Equal([order.OrderId], message.Keys);
            Assert.Contains(message.Properties["channel"], new[] { "app", "web", "mini-program" });
            Assert.False(message.IsCloudEvent());
            var sent = result.Orders.Single(o => o.MessageId == message.MessageId);
            Assert.Equal(order.OrderId, sent.OrderId);
        }

        Assert.Contains(received, m => m.Tag == "PAID");
        Assert.Contains(received, m => m.Tag == "CANCELLED");
    }

    [Theory]
    [InlineData(ContentMode.Binary)]
    [InlineData(ContentMode.Structured)]
    public async Task With_format_cloudevents_every_message_is_a_valid_CloudEvent_under_the_RocketMQ_binding(ContentMode mode)
    {
        var topic = $"orders-ce-{mode}".ToLowerInvariant();
        await using var consumer = await fixture.ConsumerAsync(topic, $"GID_ce_{mode}");

        var result = await OrderProducerRunner.RunAsync(Options(topic, MessageFormat.CloudEvents, mode));
        var received = await EmulatorFixture.ReceiveAsync(consumer, 6);

        Assert.Equal(6, result.Sent);
        foreach (var message in received)
        {
            Assert.True(message.IsCloudEvent());
            var cloudEvent = message.ToCloudEvent(new JsonEventFormatter());
            var status = message.Tag!.ToLowerInvariant();
            Assert.Equal("com.example.fooddelivery.order." + status, cloudEvent.Type);
            Assert.Equal("/food-delivery/order-producer", cloudEvent.Source?.ToString());
            Assert.Equal($"{message.Keys[0]}.{status}", cloudEvent.Id);
            Assert.Equal(message.Keys[0], cloudEvent.Subject);
            Assert.NotNull(cloudEvent.Time);
            var validation = OrderValidator.Validate(Assert.IsType<JsonElement>(cloudEvent.Data));
            Assert.True(validation.IsValid, string.Join("; ", validation.Errors));
            Assert.Equal(message.Keys[0], validation.Order!.OrderId);
        }
    }
}
