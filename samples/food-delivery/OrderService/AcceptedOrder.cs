using FoodDelivery.OrderService.Delivery;

namespace FoodDelivery.OrderService;

/// <summary>
/// An order the service accepted (answered 2xx), as reported to <see cref="OrderServiceOptions.OnOrderAccepted"/>.
/// </summary>
/// <param name="OrderId">The order's id.</param>
/// <param name="CloudEventId">The id of the CloudEvent that carried it (the RocketMQ message id for a plain message).</param>
/// <param name="ReceivedAt">When the request reached the service.</param>
/// <param name="OrderStatus">PAID or CANCELLED.</param>
/// <param name="Delivery">The delivery order the service answered with.</param>
/// <param name="TraceParent">The request's W3C traceparent header, when it had one.</param>
public sealed record AcceptedOrder(
    string OrderId,
    string CloudEventId,
    DateTimeOffset ReceivedAt,
    string OrderStatus,
    DeliveryOrder Delivery,
    string? TraceParent = null);
