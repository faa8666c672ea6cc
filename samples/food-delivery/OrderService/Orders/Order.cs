namespace FoodDelivery.OrderService.Orders;

/// <summary>The two order events the food-delivery flow publishes on the orders topic.</summary>
internal enum OrderStatus
{
    Paid,
    Cancelled,
}

/// <summary>A validated order, as the shop publishes it when an order is paid or cancelled.</summary>
internal sealed record Order(
    string OrderId,
    OrderStatus Status,
    string UserPhoneNo,
    string ProdId,
    string ProdName,
    decimal ChargeMoney,
    DateTimeOffset ChargeTime,
    DateTimeOffset FinishTime);
