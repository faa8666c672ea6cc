using System.Text.Json;
using FoodDelivery.OrderService.Delivery;
using FoodDelivery.OrderService.Logging;

namespace RocketMqSource.Samples.Tests.OrderService;

public sealed class OrderLogLineTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("13800138000", "138******00")]
    [InlineData("+8613800138000", "+86*********00")]
    [InlineData("123456", "123*56")]
    [InlineData("12345", "*****")]
    public void Phone_numbers_keep_only_their_first_three_and_last_two_characters(string phone, string masked) =>
        Assert.Equal(masked, OrderLogLine.MaskPhone(phone));

    [Fact]
    public void An_accepted_order_is_one_JSON_line_with_its_ids_and_a_masked_phone()
    {
        var delivery = new DeliveryOrder("dlv-O1", "O1", DeliveryOrder.Dispatch, [new("P1", "Tea", 1)], 16.00m, "13800138000", At.AddMinutes(30));

        var line = OrderLogLine.Accepted(At, "7F0000017A2B", "dev.knative.rocketmq.event", "PAID", delivery);

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain("13800138000", line, StringComparison.Ordinal);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("2026-11-21T12:00:00Z", json.GetProperty("time").GetString());
        Assert.Equal("info", json.GetProperty("level").GetString());
        Assert.Equal("order accepted", json.GetProperty("msg").GetString());
        Assert.Equal("O1", json.GetProperty("orderId").GetString());
        Assert.Equal("PAID", json.GetProperty("orderStatus").GetString());
        Assert.Equal("7F0000017A2B", json.GetProperty("ceId").GetString());
        Assert.Equal("dlv-O1", json.GetProperty("deliveryId").GetString());
        Assert.Equal(16.00m, json.GetProperty("amount").GetDecimal());
        Assert.Equal("138******00", json.GetProperty("phone").GetString());
        Assert.False(json.TryGetProperty("traceId", out _));
    }

    [Fact]
    public void An_accepted_order_logs_the_trace_it_arrived_in()
    {
        var delivery = new DeliveryOrder("dlv-O2", "O2", DeliveryOrder.Dispatch, [new("P1", "Tea", 1)], 16.00m, "13800138000", At.AddMinutes(30));
        var trace = System.Diagnostics.ActivityContext.Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);

        var json = JsonDocument.Parse(OrderLogLine.Accepted(At, "7F0000017A2C", "dev.knative.rocketmq.event", "PAID", delivery, trace)).RootElement;

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", json.GetProperty("traceId").GetString());
        Assert.Equal("00f067aa0ba902b7", json.GetProperty("parentSpanId").GetString());
    }

    [Fact]
    public void A_rejected_order_names_the_status_field_and_reason()
    {
        var line = OrderLogLine.Rejected(At, 400, "m-1", "chargeMoney", "chargeMoney must be non-negative");

        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("warn", json.GetProperty("level").GetString());
        Assert.Equal(400, json.GetProperty("status").GetInt32());
        Assert.Equal("m-1", json.GetProperty("ceId").GetString());
        Assert.Equal("chargeMoney", json.GetProperty("field").GetString());
        Assert.Equal("chargeMoney must be non-negative", json.GetProperty("reason").GetString());
    }
}
