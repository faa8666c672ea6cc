using FoodDelivery.OrderService.Delivery;
using FoodDelivery.OrderService.Orders;

namespace RocketMqSource.Samples.Tests.OrderService;

public sealed class DeliveryPlannerTests
{
    private static readonly DateTimeOffset Charged = new(2026, 11, 21, 11, 58, 0, TimeSpan.FromHours(8));

    private static Order Order(OrderStatus status) =>
        new("ORD-7", status, "13800138000", "P1010", "Spicy hot pot for two", 256.00m, Charged, Charged.AddSeconds(3));

    [Fact]
    public void A_paid_order_becomes_a_dispatch_promised_within_the_window_after_the_charge()
    {
        var delivery = DeliveryPlanner.Plan(Order(OrderStatus.Paid), TimeSpan.FromMinutes(45));

        Assert.Equal("dlv-ORD-7", delivery.DeliveryId);
        Assert.Equal("ORD-7", delivery.OrderId);
        Assert.Equal(DeliveryOrder.Dispatch, delivery.Action);
        Assert.Equal([new DeliveryItem("P1010", "Spicy hot pot for two", 1)], delivery.Items);
        Assert.Equal(256.00m, delivery.Amount);
        Assert.Equal("13800138000", delivery.ContactPhone);
        Assert.Equal(Charged.AddMinutes(45), delivery.PromisedBy);
    }

    [Fact]
    public void A_cancelled_order_calls_the_delivery_off_with_no_promise()
    {
        var delivery = DeliveryPlanner.Plan(Order(OrderStatus.Cancelled), TimeSpan.FromMinutes(30));

        Assert.Equal(DeliveryOrder.Cancel, delivery.Action);
        Assert.Equal("dlv-ORD-7", delivery.DeliveryId);
        Assert.Null(delivery.PromisedBy);
    }

    [Fact]
    public void The_same_order_planned_twice_gives_the_same_delivery_so_redeliveries_are_idempotent()
    {
        var first = DeliveryPlanner.Plan(Order(OrderStatus.Paid), TimeSpan.FromMinutes(30));
        var second = DeliveryPlanner.Plan(Order(OrderStatus.Paid), TimeSpan.FromMinutes(30));

        Assert.Equal(first.DeliveryId, second.DeliveryId);
        Assert.Equal(first.PromisedBy, second.PromisedBy);
        Assert.Equal(first.Items, second.Items);
    }
}
