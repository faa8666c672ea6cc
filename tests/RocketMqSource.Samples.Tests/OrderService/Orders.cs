using System.Text.Json;
using System.Text.Json.Nodes;

namespace RocketMqSource.Samples.Tests.OrderService;

/// <summary>Order documents for tests: a valid one, and variations of it.</summary>
internal static class Orders
{
    public static JsonObject Valid(string orderId = "ORD-1001", string status = "PAID") => new()
    {
        ["orderId"] = orderId,
        ["orderStatus"] = status,
        ["userPhoneNo"] = "13800138000",
        ["prodId"] = "P1001",
        ["prodName"] = "Beef noodle soup",
        ["chargeMoney"] = 38.50m,
        ["chargeTime"] = "2026-11-21T11:58:00.250Z",
        ["finishTime"] = "2026-11-21T11:58:03Z",
    };

    public static JsonObject With(string field, JsonNode? value)
    {
        var order = Valid();
        order[field] = value;
        return order;
    }

    public static JsonObject Without(string field)
    {
        var order = Valid();
        order.Remove(field);
        return order;
    }

    public static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
}
