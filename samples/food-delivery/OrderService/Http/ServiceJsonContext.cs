using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using FoodDelivery.OrderService.Delivery;
using FoodDelivery.OrderService.Orders;

namespace FoodDelivery.OrderService.Http;

/// <summary>An RFC 9457 problem document; field and errors say which order fields are wrong.</summary>
internal sealed record Problem(string Title, int Status, string Detail, string? Field = null, IReadOnlyList<OrderError>? Errors = null);

internal sealed record HealthStatus(string Status);

/// <summary>Compile-time JSON serialization: no reflection at startup or per request (the CloudEvents formatter uses it for event data too).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeliveryOrder))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext
{
    /// <summary>The context with a relaxed encoder: answers are JSON over HTTP, not HTML, so "+" stays "+".</summary>
    public static ServiceJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
