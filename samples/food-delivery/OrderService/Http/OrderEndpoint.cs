using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using FoodDelivery.OrderService.Delivery;
using FoodDelivery.OrderService.Logging;
using FoodDelivery.OrderService.Orders;
using Microsoft.AspNetCore.Http;
using RocketMqSource.CloudEvents.AspNetCore;

namespace FoodDelivery.OrderService.Http;

/// <summary>
/// POST / : one order CloudEvent (binary or structured mode) in, a delivery order out.
/// 200 with the delivery order as a reply CloudEvent; 400 when the event or the order is
/// malformed (the Knative data plane does not retry a 400, it goes to the dead-letter sink);
/// 415 when the request is not a CloudEvent at all.
/// </summary>
internal sealed partial class OrderEndpoint(OrderServiceOptions options, OrderLog log)
{
    private static readonly JsonEventFormatter Formatter = new(new JsonSerializerOptions { TypeInfoResolver = ServiceJsonContext.Default }, default);

    public async Task HandleAsync(HttpContext context)
    {
        var receivedAt = options.TimeProvider.GetUtcNow();
        var request = context.Request;
        if (!request.IsCloudEvent())
        {
            var reason = request.IsCloudEventBatch()
                ? "batches of CloudEvents are not accepted; send one order per request"
                : "expected a CloudEvent: binary mode (ce-specversion header) or structured mode (Content-Type application/cloudevents+json)";
            await RejectAsync(context, receivedAt, StatusCodes.Status415UnsupportedMediaType, "unsupported media type", null, "content-type", reason);
            return;
        }

        CloudEvent cloudEvent;
        try
        {
            cloudEvent = await request.ToCloudEventAsync(Formatter);
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException)
        {
            // The SDK reports a bad event as ArgumentException (JsonException for a body that is no JSON).
            await RejectAsync(context, receivedAt, StatusCodes.Status400BadRequest, "malformed CloudEvent", null, AttributeNamedIn(e.Message), e.Message);
            return;
        }

        if (!OrderData.TryRead(cloudEvent, out var document, out var dataProblem))
        {
            await RejectAsync(context, receivedAt, StatusCodes.Status400BadRequest, "invalid order", cloudEvent.Id, "data", dataProblem);
            return;
        }

        var validation = OrderValidator.Validate(document);
        if (validation.Order is not { } order)
        {
            var first = validation.Errors[0];
            await RejectAsync(context, receivedAt, StatusCodes.Status400BadRequest, "invalid order", cloudEvent.Id, first.Field, first.Message, validation.Errors);
            return;
        }

        var delivery = DeliveryPlanner.Plan(order, options.PromisedWithin);
        var status = order.Status == OrderStatus.Paid ? OrderFields.Paid : OrderFields.Cancelled;
        // The W3C header (as Knative brokers forward it): the log line carries the trace id, so a trace leads to it.
        var traceParent = request.Headers.TryGetValue("traceparent", out var header) ? header.ToString() : null;
        var trace = System.Diagnostics.ActivityContext.TryParse(traceParent, null, out var parsed) ? parsed : default;
        log.Write(OrderLogLine.Accepted(receivedAt, cloudEvent.Id!, cloudEvent.Type, status, delivery, trace));
        options.OnOrderAccepted?.Invoke(new AcceptedOrder(order.OrderId, cloudEvent.Id!, receivedAt, status, delivery, traceParent));

        context.Response.StatusCode = StatusCodes.Status200OK;
        await DeliveryReply.For(delivery, receivedAt).CopyToHttpResponseAsync(context.Response, ContentMode.Binary, Formatter);
    }

    /// <summary>
    /// The attribute an SDK error names ("Value for attribute 'time' is invalid", "missing required
    /// attributes: id", "Invalid character 'X' in attribute name 'Y'"), else "cloudevent".
    /// </summary>
    internal static string AttributeNamedIn(string message)
    {
        var match = AttributeInMessage().Match(message);
        return match.Success ? match.Groups["name"].Value : "cloudevent";
    }

    public static Task HealthAsync(HttpContext context) =>
        WriteJsonAsync(context, StatusCodes.Status200OK, "application/json", new HealthStatus("ok"), ServiceJsonContext.Relaxed.HealthStatus);

    private Task RejectAsync(
        HttpContext context, DateTimeOffset receivedAt, int status, string title, string? cloudEventId, string field, string reason,
        IReadOnlyList<OrderError>? errors = null)
    {
        log.Write(OrderLogLine.Rejected(receivedAt, status, cloudEventId, field, reason));
        var problem = new Problem(title, status, reason, field, errors);
        return WriteJsonAsync(context, status, "application/problem+json", problem, ServiceJsonContext.Relaxed.Problem);
    }

    private static async Task WriteJsonAsync<T>(HttpContext context, int status, string contentType, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }

    [GeneratedRegex(@"missing required attributes: (?<name>[a-z0-9]+)|attribute (?:name )?'(?<name>[^']*)'")]
    private static partial Regex AttributeInMessage();
}
