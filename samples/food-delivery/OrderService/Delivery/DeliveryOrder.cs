namespace FoodDelivery.OrderService.Delivery;

/// <summary>One line of a delivery: what the courier picks up.</summary>
public sealed record DeliveryItem(string ProdId, string ProdName, int Quantity);

/// <summary>
/// What the delivery side gets for an order: dispatch a courier for a paid order, call the
/// courier off for a cancelled one. The id derives from the order id, so a redelivered order
/// (RocketMQ and Knative deliver at least once) yields the same delivery order.
/// </summary>
public sealed record DeliveryOrder(
    string DeliveryId,
    string OrderId,
    string Action,
    IReadOnlyList<DeliveryItem> Items,
    decimal Amount,
    string ContactPhone,
    DateTimeOffset? PromisedBy)
{
    public const string Dispatch = "DISPATCH";
    public const string Cancel = "CANCEL";
}
