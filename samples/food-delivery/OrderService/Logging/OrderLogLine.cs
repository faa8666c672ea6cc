using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FoodDelivery.OrderService.Delivery;

namespace FoodDelivery.OrderService.Logging;

/// <summary>
/// Formats the service's log lines: one JSON object per line, the shape log collectors (Knative's
/// fluent-bit, Loki, Cloud Logging) parse without configuration. Phone numbers are masked.
/// </summary>
internal static class OrderLogLine
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Accepted(DateTimeOffset time, string cloudEventId, string? cloudEventType, string orderStatus, DeliveryOrder delivery, System.Diagnostics.ActivityContext trace = default) =>
        Write(time, "info", "order accepted", writer =>
        {
            writer.WriteString("orderId", delivery.OrderId);
            writer.WriteString("orderStatus", orderStatus);
            writer.WriteString("ceId", cloudEventId);
            writer.WriteString("ceType", cloudEventType);
            writer.WriteString("deliveryId", delivery.DeliveryId);
            writer.WriteString("action", delivery.Action);
            writer.WriteNumber("amount", delivery.Amount);
            writer.WriteString("phone", MaskPhone(delivery.ContactPhone));
            if (trace != default)
            {
                writer.WriteString("traceId", trace.TraceId.ToHexString());
                writer.WriteString("parentSpanId", trace.SpanId.ToHexString());
            }
        });

    public static string Rejected(DateTimeOffset time, int status, string? cloudEventId, string field, string reason) =>
        Write(time, "warn", "order rejected", writer =>
        {
            writer.WriteNumber("status", status);
            writer.WriteString("ceId", cloudEventId);
            writer.WriteString("field", field);
            writer.WriteString("reason", reason);
        });

    public static string Listening(DateTimeOffset time, string url) =>
        Write(time, "info", "order service listening", writer => writer.WriteString("url", url));

    /// <summary>Keeps the first 3 and last 2 digits: enough to tell orders apart, not enough to call.</summary>
    public static string MaskPhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        if (phone.Length <= 5)
        {
            return new string('*', phone.Length);
        }

        return string.Concat(phone.AsSpan(0, 3), new string('*', phone.Length - 5), phone.AsSpan(phone.Length - 2));
    }

    private static string Write(DateTimeOffset time, string level, string message, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("time", time.UtcDateTime);
            writer.WriteString("level", level);
            writer.WriteString("msg", message);
            fields(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
