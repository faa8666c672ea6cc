using FoodDelivery.OrderService.Orders;

namespace FoodDelivery.OrderService.Delivery;

/// <summary>Turns a validated order into a delivery order (pure: same order, same result).</summary>
internal static class DeliveryPlanner
{
    public const string DeliveryIdPrefix = "dlv-";

    public static DeliveryOrder Plan(Order order, TimeSpan promisedWithin)
    {
        ArgumentNullException.ThrowIfNull(order);
        var dispatch = order.Status == OrderStatus.Paid;
        return new DeliveryOrder(
            DeliveryIdPrefix + order.OrderId,
            order.OrderId,
            dispatch ? DeliveryOrder.Dispatch : DeliveryOrder.Cancel,
            [new DeliveryItem(order.ProdId, order.ProdName, 1)],
            order.ChargeMoney,
            order.UserPhoneNo,
            dispatch ? order.ChargeTime + promisedWithin : null);
    }
}
