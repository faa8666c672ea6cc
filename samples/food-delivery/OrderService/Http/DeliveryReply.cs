using System.Text.Json;
using FoodDelivery.OrderService.Delivery;
using CloudNative.CloudEvents;

namespace FoodDelivery.OrderService.Http;

/// <summary>
/// The reply CloudEvent carrying a delivery order. Knative sends a subscriber's reply back into
/// the Broker, where a delivery service can subscribe to these types.
/// </summary>
internal static class DeliveryReply
{
    public const string Source = "/food-delivery/order-service";
    public const string DispatchType = "com.example.fooddelivery.delivery.dispatch";
    public const string CancelType = "com.example.fooddelivery.delivery.cancel";

    public static CloudEvent For(DeliveryOrder delivery, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var dispatch = delivery.Action == DeliveryOrder.Dispatch;
        return new CloudEvent
        {
            // Stable per delivery and action, so a redelivered order gives a duplicate the Broker side can drop.
            Id = $"{delivery.DeliveryId}.{delivery.Action.ToLowerInvariant()}",
            Source = new Uri(Source, UriKind.Relative),
            Type = dispatch ? DispatchType : CancelType,
            Subject = delivery.OrderId,
            Time = time,
            DataContentType = "application/json",
            Data = JsonSerializer.SerializeToUtf8Bytes(delivery, ServiceJsonContext.Relaxed.DeliveryOrder),
        };
    }
}
