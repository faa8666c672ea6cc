using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;

namespace FoodDelivery.OrderService.Http;

/// <summary>The order document a CloudEvent carries as its data, whatever form the formatter gave it.</summary>
internal static class OrderData
{
    public static bool TryRead(CloudEvent cloudEvent, out JsonElement document, out string problem)
    {
        document = default;
        problem = string.Empty;
        switch (cloudEvent.Data)
        {
            case JsonElement element:
                document = element;
                return true;
            case null:
                problem = "the event carries no data; an order is expected";
                return false;
            case string text:
                return TryParse(Encoding.UTF8.GetBytes(text), cloudEvent, out document, out problem);
            case byte[] bytes:
                return TryParse(bytes, cloudEvent, out document, out problem);
            default:
                problem = $"unsupported data of type {cloudEvent.Data.GetType().Name}";
                return false;
        }
    }

    // A producer that forgot datacontenttype still sends JSON; accept it rather than refuse good orders.
    private static bool TryParse(byte[] bytes, CloudEvent cloudEvent, out JsonElement document, out string problem)
    {
        try
        {
            using var parsed = JsonDocument.Parse(bytes);
            document = parsed.RootElement.Clone();
            problem = string.Empty;
            return true;
        }
        catch (JsonException)
        {
            document = default;
            problem = $"the data is not JSON (datacontenttype '{cloudEvent.DataContentType ?? "none"}'); an order is a JSON object";
            return false;
        }
    }
}
