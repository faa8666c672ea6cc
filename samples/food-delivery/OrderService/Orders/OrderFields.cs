namespace FoodDelivery.OrderService.Orders;

/// <summary>The JSON field names of an order (camelCase, as the shop sends them).</summary>
internal static class OrderFields
{
    public const string OrderId = "orderId";
    public const string OrderStatus = "orderStatus";
    public const string UserPhoneNo = "userPhoneNo";
    public const string ProdId = "prodId";
    public const string ProdName = "prodName";
    public const string ChargeMoney = "chargeMoney";
    public const string ChargeTime = "chargeTime";
    public const string FinishTime = "finishTime";

    /// <summary>Stands for the whole order when the problem is not one field.</summary>
    public const string Order = "order";

    public const string Paid = "PAID";
    public const string Cancelled = "CANCELLED";
}
