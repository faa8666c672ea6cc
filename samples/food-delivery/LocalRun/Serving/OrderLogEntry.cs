using System.Globalization;
using System.Text.Json;

namespace FoodDelivery.LocalRun.Serving;

/// <summary>
/// One "order accepted" line of the order service's log (one JSON object per line,
/// samples/food-delivery/OrderService/Logging/OrderLogLine.cs): the order, when its request
/// reached the service, and the trace id of its traceparent header.
/// The local run learns from these lines, as a person reading the pods' logs would, which orders
/// reached an instance. Pure.
/// </summary>
internal sealed record OrderLogEntry(string OrderId, DateTimeOffset ReceivedAt, string? TraceId, string Line)
{
    public const string AcceptedMessage = "order accepted";

    /// <summary>The entry for an accepted order; null for any other line (listening, rejected, not JSON).</summary>
    public static OrderLogEntry? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (Text(root, "msg") != AcceptedMessage || Text(root, "orderId") is not { } orderId || Text(root, "time") is not { } time)
            {
                return null;
            }

            var receivedAt = DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            return new OrderLogEntry(orderId, receivedAt, Text(root, "traceId"), line);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
