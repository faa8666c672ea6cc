using System.Text.Json;
using FoodDelivery.OrderProducer.Orders;
using FoodDelivery.OrderService.Orders;

namespace RocketMqSource.Samples.Tests.OrderProducer;

public sealed class OrderGeneratorTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static List<GeneratedOrder> Generate(int seed, int count, double cancelRatio = 0.1)
    {
        var generator = new OrderGenerator(seed, cancelRatio);
        return Enumerable.Range(0, count).Select(i => generator.Next(Noon.AddSeconds(i))).ToList();
    }

    [Fact]
    public void The_same_seed_gives_the_same_orders()
    {
        Assert.Equal(Generate(42, 50), Generate(42, 50));
    }

    [Fact]
    public void Different_seeds_give_different_order_ids()
    {
        var first = Generate(1, 20).Select(o => o.OrderId);
        var second = Generate(2, 20).Select(o => o.OrderId);

        Assert.Empty(first.Intersect(second));
    }

    [Fact]
    public void Order_ids_are_unique_and_numbered_in_sequence()
    {
        var orders = Generate(7, 300);

        Assert.Equal(300, orders.Select(o => o.OrderId).Distinct().Count());
        Assert.EndsWith("-0000001", orders[0].OrderId, StringComparison.Ordinal);
        Assert.EndsWith("-0000300", orders[^1].OrderId, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_generated_order_passes_the_order_service_s_validation()
    {
        foreach (var order in Generate(11, 500))
        {
            var result = OrderValidator.Validate(JsonDocument.Parse(order.ToJson()).RootElement);

            Assert.True(result.IsValid, $"{order.OrderId}: {string.Join("; ", result.Errors)}");
            Assert.Equal(order.OrderId, result.Order!.OrderId);
            Assert.Equal(order.ChargeMoney, result.Order.ChargeMoney);
            Assert.Equal(order.OrderStatus, result.Order.Status == OrderStatus.Paid ? "PAID" : "CANCELLED");
        }
    }

    [Fact]
    public void The_charge_is_a_menu_price_times_one_to_three_and_the_payment_finishes_within_five_seconds()
    {
        foreach (var order in Generate(5, 200))
        {
            var dish = Menu.Dishes.Single(d => d.ProdId == order.ProdId);
            Assert.Equal(dish.ProdName, order.ProdName);
            Assert.Contains(order.ChargeMoney / dish.Price, new[] { 1m, 2m, 3m });
            Assert.InRange(order.FinishTime - order.ChargeTime, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
            Assert.Matches("^1[35789][0-9]{9}$", order.UserPhoneNo);
            Assert.Contains(order.Channel, Menu.Channels);
        }
    }

    [Theory]
    [InlineData(0.0, 0, 0)]
    [InlineData(1.0, 2000, 2000)]
    [InlineData(0.1, 140, 260)]
    public void The_cancel_ratio_sets_the_share_of_cancelled_orders(double ratio, int min, int max)
    {
        var cancelled = Generate(3, 2000, ratio).Count(o => o.OrderStatus == GeneratedOrder.Cancelled);

        Assert.InRange(cancelled, min, max);
    }

    [Fact]
    public void The_JSON_has_the_shop_s_field_names_and_RFC_3339_UTC_times()
    {
        var order = new GeneratedOrder("ORD-1", "PAID", "13800138000", "P1001", "Beef noodle soup", 76.00m,
            new DateTimeOffset(2026, 11, 21, 20, 0, 0, 125, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 11, 21, 12, 0, 2, TimeSpan.Zero), "app");

        var json = JsonDocument.Parse(order.ToJson()).RootElement;

        Assert.Equal(
            ["orderId", "orderStatus", "userPhoneNo", "prodId", "prodName", "chargeMoney", "chargeTime", "finishTime"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-21T12:00:00.125Z", json.GetProperty("chargeTime").GetString());
        Assert.Equal("2026-11-21T12:00:02.000Z", json.GetProperty("finishTime").GetString());
        Assert.Equal(76.00m, json.GetProperty("chargeMoney").GetDecimal());
        Assert.Equal(JsonValueKind.Number, json.GetProperty("chargeMoney").ValueKind);
    }
}
