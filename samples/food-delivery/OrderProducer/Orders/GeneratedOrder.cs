using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace FoodDelivery.OrderProducer.Orders;

/// <summary>An order as the shop publishes it, plus the sales channel (sent as a message property).</summary>
internal sealed record GeneratedOrder(
    string OrderId,
    string OrderStatus,
    string UserPhoneNo,
    string ProdId,
    string ProdName,
    decimal ChargeMoney,
    DateTimeOffset ChargeTime,
    DateTimeOffset FinishTime,
    string Channel)
{
    public const string Paid = "PAID";
    public const string Cancelled = "CANCELLED";

    /// <summary>The order JSON (camelCase fields, RFC 3339 UTC times with milliseconds).</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(320);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("orderId", OrderId);
            writer.WriteString("orderStatus", OrderStatus);
            writer.WriteString("userPhoneNo", UserPhoneNo);
            writer.WriteString("prodId", ProdId);
            writer.WriteString("prodName", ProdName);
            writer.WriteNumber("chargeMoney", ChargeMoney);
            writer.WriteString("chargeTime", Rfc3339(ChargeTime));
            writer.WriteString("finishTime", Rfc3339(FinishTime));
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
