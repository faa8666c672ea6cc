using System.Text.Json.Nodes;
using FoodDelivery.OrderService.Orders;

namespace RocketMqSource.Samples.Tests.OrderService;

public sealed class OrderValidatorTests
{
    [Fact]
    public void A_complete_order_is_valid_and_read_field_by_field()
    {
        var result = OrderValidator.Validate(Orders.Element(Orders.Valid()));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var order = result.Order!;
        Assert.Equal("ORD-1001", order.OrderId);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal("13800138000", order.UserPhoneNo);
        Assert.Equal("P1001", order.ProdId);
        Assert.Equal("Beef noodle soup", order.ProdName);
        Assert.Equal(38.50m, order.ChargeMoney);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 11, 58, 0, 250, TimeSpan.Zero), order.ChargeTime);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 11, 58, 3, TimeSpan.Zero), order.FinishTime);
    }

    [Fact]
    public void A_cancelled_order_is_valid()
    {
        var result = OrderValidator.Validate(Orders.Element(Orders.Valid(status: "CANCELLED")));

        Assert.Equal(OrderStatus.Cancelled, result.Order?.Status);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var order = Orders.Valid();
        order["coupon"] = "WELCOME10";

        Assert.True(OrderValidator.Validate(Orders.Element(order)).IsValid);
    }

    [Theory]
    [InlineData("orderId")]
    [InlineData("orderStatus")]
    [InlineData("userPhoneNo")]
    [InlineData("prodId")]
    [InlineData("prodName")]
    [InlineData("chargeMoney")]
    [InlineData("chargeTime")]
    [InlineData("finishTime")]
    public void Every_field_is_required(string field)
    {
        AssertOnlyError(Orders.Without(field), field, $"{field} is required");
        AssertOnlyError(Orders.With(field, null), field, $"{field} is required");
    }

    [Theory]
    [InlineData("")]
    [InlineData("ORD 1")]
    [InlineData("ORD/1")]
    [InlineData("订单1")]
    public void OrderId_must_be_a_plain_identifier(string orderId) =>
        AssertOnlyError(Orders.With("orderId", orderId), "orderId", "orderId must be 1 to 64 letters, digits");

    [Fact]
    public void OrderId_may_not_exceed_64_characters()
    {
        Assert.True(OrderValidator.Validate(Orders.Element(Orders.With("orderId", new string('a', 64)))).IsValid);
        AssertOnlyError(Orders.With("orderId", new string('a', 65)), "orderId", "orderId must be 1 to 64");
    }

    [Fact]
    public void OrderId_must_be_a_string_not_a_number() =>
        AssertOnlyError(Orders.With("orderId", 1001), "orderId", "orderId must be a string, not a number");

    [Theory]
    [InlineData("paid")]
    [InlineData("CREATED")]
    [InlineData("")]
    public void OrderStatus_is_PAID_or_CANCELLED(string status) =>
        AssertOnlyError(Orders.With("orderStatus", status), "orderStatus", "orderStatus must be PAID or CANCELLED");

    [Theory]
    [InlineData("138-0013-8000")]
    [InlineData("12345")]
    [InlineData("1234567890123456")]
    [InlineData("+86 13800138000")]
    [InlineData("phone")]
    [InlineData("13800138000\n")]
    public void UserPhoneNo_is_6_to_15_digits(string phone) =>
        AssertOnlyError(Orders.With("userPhoneNo", phone), "userPhoneNo", "userPhoneNo must be 6 to 15 digits");

    [Theory]
    [InlineData("+8613800138000")]
    [InlineData("123456")]
    [InlineData("123456789012345")]
    public void UserPhoneNo_accepts_digits_with_an_optional_plus(string phone) =>
        Assert.True(OrderValidator.Validate(Orders.Element(Orders.With("userPhoneNo", phone))).IsValid);

    [Fact]
    public void ProdId_follows_the_identifier_rule() =>
        AssertOnlyError(Orders.With("prodId", ""), "prodId", "prodId must be 1 to 64 letters");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ProdName_must_not_be_blank(string name) =>
        AssertOnlyError(Orders.With("prodName", name), "prodName", "prodName must be 1 to 200 characters and not blank");

    [Fact]
    public void ProdName_may_not_exceed_200_characters() =>
        AssertOnlyError(Orders.With("prodName", new string('x', 201)), "prodName", "prodName must be 1 to 200 characters");

    [Fact]
    public void ChargeMoney_must_not_be_negative() =>
        AssertOnlyError(Orders.With("chargeMoney", -0.01m), "chargeMoney", "chargeMoney must be non-negative with at most 2 decimal places (got -0.01)");

    [Fact]
    public void ChargeMoney_has_at_most_two_decimal_places()
    {
        AssertOnlyError(Orders.With("chargeMoney", 12.345m), "chargeMoney", "chargeMoney must be non-negative with at most 2 decimal places (got 12.345)");
        Assert.Equal(12.3m, OrderValidator.Validate(Orders.Element(Orders.With("chargeMoney", 12.3m))).Order?.ChargeMoney);
        Assert.Equal(0m, OrderValidator.Validate(Orders.Element(Orders.With("chargeMoney", 0))).Order?.ChargeMoney);
    }

    [Fact]
    public void ChargeMoney_must_be_a_JSON_number_not_a_string() =>
        AssertOnlyError(Orders.With("chargeMoney", "38.50"), "chargeMoney", "chargeMoney must be a decimal JSON number, not a string");

    [Theory]
    [InlineData("2026-11-21 11:58:00Z")]
    [InlineData("2026-11-21T11:58:00")]
    [InlineData("21/11/2026 11:58")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("1763726280")]
    public void Times_must_be_RFC_3339(string time)
    {
        AssertOnlyError(Orders.With("chargeTime", time), "chargeTime", "chargeTime must be an RFC 3339 date-time");
        AssertOnlyError(Orders.With("finishTime", time), "finishTime", "finishTime must be an RFC 3339 date-time");
    }

    [Theory]
    [InlineData("2026-11-21T19:58:00+08:00", "2026-11-21T11:58:00Z")]
    [InlineData("2026-11-21t11:58:00z", "2026-11-21T11:58:00Z")]
    [InlineData("2026-11-21T11:58:00.123456789Z", "2026-11-21T11:58:00.1234567Z")]
    public void RFC_3339_offsets_lower_case_and_long_fractions_are_read(string text, string expected)
    {
        var order = Orders.With("chargeTime", text);
        order["finishTime"] = "2026-11-21T12:00:00Z";

        var result = OrderValidator.Validate(Orders.Element(order));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Order?.ChargeTime);
    }

    [Fact]
    public void FinishTime_must_not_be_before_chargeTime()
    {
        AssertOnlyError(Orders.With("finishTime", "2026-11-21T11:57:59Z"), "finishTime", "finishTime must not be before chargeTime");
        Assert.True(OrderValidator.Validate(Orders.Element(Orders.With("finishTime", "2026-11-21T11:58:00.250Z"))).IsValid);
        // The same instant written in another offset is not "before".
        Assert.True(OrderValidator.Validate(Orders.Element(Orders.With("finishTime", "2026-11-21T19:58:01+08:00"))).IsValid);
    }

    [Fact]
    public void Every_broken_rule_is_reported_in_field_order()
    {
        var order = Orders.With("orderStatus", "NEW");
        order["chargeMoney"] = -5;
        order.Remove("prodName");

        var result = OrderValidator.Validate(Orders.Element(order));

        Assert.Equal(["orderStatus", "prodName", "chargeMoney"], result.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"order\"", "a string")]
    [InlineData("42", "a number")]
    public void The_order_must_be_a_JSON_object(string json, string described)
    {
        var result = OrderValidator.Validate(Orders.Element(JsonNode.Parse(json)!));

        var error = Assert.Single(result.Errors);
        Assert.Equal("order", error.Field);
        Assert.Equal($"the order must be a JSON object, not {described}", error.Message);
    }

    private static void AssertOnlyError(JsonObject order, string field, string messageStart)
    {
        var result = OrderValidator.Validate(Orders.Element(order));

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
    }
}
