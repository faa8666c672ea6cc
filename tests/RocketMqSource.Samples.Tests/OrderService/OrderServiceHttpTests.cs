using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;

namespace RocketMqSource.Samples.Tests.OrderService;

/// <summary>The order service over real HTTP on loopback, fed by the official SDK's HTTP binding.</summary>
public sealed class OrderServiceHttpTests : IAsyncLifetime
{
    private static readonly JsonEventFormatter Formatter = new();
    private RunningOrderService _service = null!;

    public async Task InitializeAsync() => _service = await RunningOrderService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    /// <summary>An order event as the source sends it for a plain RocketMQ message.</summary>
    private static CloudEvent OrderEvent(JsonNode order, string id = "7F00000100002A9F0000000000000001")
    {
        var cloudEvent = new CloudEvent
        {
            Id = id,
            Source = new Uri("/apis/v1/namespaces/food-delivery/rocketmqsources/orders#orders", UriKind.Relative),
            Type = "dev.knative.rocketmq.event",
            Subject = "PAID",
            Time = new DateTimeOffset(2026, 11, 21, 11, 58, 3, TimeSpan.Zero),
            DataContentType = "application/json",
            Data = Orders.Element(order),
        };
        cloudEvent["rocketmqtag"] = "PAID";
        return cloudEvent;
    }

    private Task<HttpResponseMessage> PostAsync(CloudEvent cloudEvent, ContentMode mode) =>
        _service.Client.PostAsync("/", cloudEvent.ToHttpContent(mode, Formatter));

    [Theory]
    [InlineData(ContentMode.Binary)]
    [InlineData(ContentMode.Structured)]
    public async Task An_order_event_is_answered_200_with_the_delivery_order_as_a_reply_CloudEvent(ContentMode mode)
    {
        using var response = await PostAsync(OrderEvent(Orders.Valid("ORD-42")), mode);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.IsCloudEvent());
        var reply = await response.ToCloudEventAsync(Formatter);
        Assert.Equal("com.example.fooddelivery.delivery.dispatch", reply.Type);
        Assert.Equal("/food-delivery/order-service", reply.Source?.ToString());
        Assert.Equal("dlv-ORD-42.dispatch", reply.Id);
        Assert.Equal("ORD-42", reply.Subject);
        Assert.Equal("application/json", reply.DataContentType);
        var delivery = Assert.IsType<JsonElement>(reply.Data);
        Assert.Equal("dlv-ORD-42", delivery.GetProperty("deliveryId").GetString());
        Assert.Equal("ORD-42", delivery.GetProperty("orderId").GetString());
        Assert.Equal("DISPATCH", delivery.GetProperty("action").GetString());
        Assert.Equal(38.50m, delivery.GetProperty("amount").GetDecimal());
        Assert.Equal("P1001", delivery.GetProperty("items")[0].GetProperty("prodId").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 28, 0, 250, TimeSpan.Zero), delivery.GetProperty("promisedBy").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_cancelled_order_is_answered_with_a_cancel_delivery()
    {
        using var response = await PostAsync(OrderEvent(Orders.Valid("ORD-43", "CANCELLED")), ContentMode.Binary);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await response.ToCloudEventAsync(Formatter);
        Assert.Equal("com.example.fooddelivery.delivery.cancel", reply.Type);
        var delivery = Assert.IsType<JsonElement>(reply.Data);
        Assert.Equal("CANCEL", delivery.GetProperty("action").GetString());
        Assert.False(delivery.TryGetProperty("promisedBy", out _));
    }

    [Fact]
    public async Task The_observer_sees_each_accepted_order_with_its_event_id_and_receive_time()
    {
        var receivedAt = new DateTimeOffset(2026, 11, 21, 12, 0, 5, TimeSpan.Zero);
        _service.Clock.Set(receivedAt);

        using var first = await PostAsync(OrderEvent(Orders.Valid("ORD-1"), id: "msg-1"), ContentMode.Binary);
        using var second = await PostAsync(OrderEvent(Orders.Valid("ORD-2", "CANCELLED"), id: "msg-2"), ContentMode.Structured);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var accepted = _service.Accepted.ToArray();
        Assert.Equal(2, accepted.Length);
        Assert.Equal(("ORD-1", "msg-1", receivedAt, "PAID"), (accepted[0].OrderId, accepted[0].CloudEventId, accepted[0].ReceivedAt, accepted[0].OrderStatus));
        Assert.Equal(("ORD-2", "msg-2", receivedAt, "CANCELLED"), (accepted[1].OrderId, accepted[1].CloudEventId, accepted[1].ReceivedAt, accepted[1].OrderStatus));
        Assert.Equal("dlv-ORD-2", accepted[1].Delivery.DeliveryId);
    }

    [Fact]
    public async Task A_bad_order_is_answered_400_with_a_problem_naming_the_field()
    {
        using var response = await PostAsync(OrderEvent(Orders.With("chargeMoney", -3)), ContentMode.Binary);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("invalid order", problem.GetProperty("title").GetString());
        Assert.Equal("chargeMoney", problem.GetProperty("field").GetString());
        Assert.StartsWith("chargeMoney must be non-negative", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("chargeMoney", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Empty(_service.Accepted);
    }

    [Fact]
    public async Task An_order_whose_finish_precedes_its_charge_is_refused_naming_finishTime()
    {
        using var response = await PostAsync(OrderEvent(Orders.With("finishTime", "2026-11-21T11:00:00Z")), ContentMode.Structured);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("finishTime", problem.GetProperty("field").GetString());
        Assert.Equal("finishTime must not be before chargeTime", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Data_that_is_not_JSON_is_refused_naming_data()
    {
        var cloudEvent = OrderEvent(Orders.Valid());
        cloudEvent.DataContentType = "text/plain";
        cloudEvent.Data = "two noodles please";

        using var response = await PostAsync(cloudEvent, ContentMode.Binary);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("data", problem.GetProperty("field").GetString());
        Assert.Contains("not JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binary_event_without_an_id_is_a_malformed_CloudEvent_answered_400_naming_the_attribute()
    {
        var problem = await RejectedBinaryOrderAsync("application/json", ("ce-id", null));

        Assert.Equal("malformed CloudEvent", problem.GetProperty("title").GetString());
        Assert.Equal("id", problem.GetProperty("field").GetString());
        Assert.Contains("missing required attributes: id", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ce-time", "noon", "time")]
    [InlineData("ce-bad_name", "x", "bad_name")]
    [InlineData("ce-specversion", "0.3", "specversion")]
    public async Task A_binary_event_with_a_bad_attribute_is_answered_400_naming_it(string header, string value, string field)
    {
        var problem = await RejectedBinaryOrderAsync("application/json", (header, value));

        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_datacontenttype_the_SDK_cannot_parse_is_answered_400_naming_it()
    {
        var problem = await RejectedBinaryOrderAsync("application/json; charset");

        Assert.Equal("datacontenttype", problem.GetProperty("field").GetString());
    }

    /// <summary>Posts a valid order in binary mode with these ce- headers changed (null removes one); expects a 400 problem.</summary>
    private async Task<JsonElement> RejectedBinaryOrderAsync(string contentType, params (string Name, string? Value)[] changes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Orders.Valid().ToJsonString())) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var headers = new Dictionary<string, string?> { ["ce-specversion"] = "1.0", ["ce-id"] = "1", ["ce-source"] = "/orders", ["ce-type"] = "dev.knative.rocketmq.event" };
        foreach (var (name, value) in changes)
        {
            headers[name] = value;
        }

        foreach (var (name, value) in headers.Where(h => h.Value is not null))
        {
            request.Headers.Add(name, value);
        }

        using var response = await _service.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task A_structured_event_that_is_not_JSON_is_answered_400()
    {
        using var content = new StringContent("{\"specversion\": \"1.0\", ", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/cloudevents+json; charset=utf-8");

        using var response = await _service.Client.PostAsync("/", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("malformed CloudEvent", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_plain_JSON_post_is_not_a_CloudEvent_and_is_answered_415()
    {
        using var content = new StringContent(Orders.Valid().ToJsonString(), Encoding.UTF8, "application/json");

        using var response = await _service.Client.PostAsync("/", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(415, problem.GetProperty("status").GetInt32());
        Assert.Contains("ce-specversion", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_service.Accepted);
    }

    [Fact]
    public async Task A_batch_is_answered_415_asking_for_one_order_per_request()
    {
        using var response = await _service.Client.PostAsync("/", new[] { OrderEvent(Orders.Valid()) }.ToHttpContent(Formatter));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("one order per request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_answers_200()
    {
        using var response = await _service.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Each_order_is_logged_as_one_JSON_line_accepted_or_rejected()
    {
        using (await PostAsync(OrderEvent(Orders.Valid("ORD-9"), id: "m-9"), ContentMode.Binary))
        using (await PostAsync(OrderEvent(Orders.With("userPhoneNo", "call me"), id: "m-10"), ContentMode.Binary))
        {
        }

        var lines = _service.LogLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("order service listening", lines[0].GetProperty("msg").GetString());
        Assert.Equal(_service.BaseAddress.ToString().TrimEnd('/'), lines[0].GetProperty("url").GetString());
        var orders = lines.Skip(1).ToList();
        Assert.Equal(2, orders.Count);
        Assert.Equal(("order accepted", "ORD-9", "m-9"), (orders[0].GetProperty("msg").GetString(), orders[0].GetProperty("orderId").GetString(), orders[0].GetProperty("ceId").GetString()));
        Assert.Equal(("order rejected", "userPhoneNo", "m-10"), (orders[1].GetProperty("msg").GetString(), orders[1].GetProperty("field").GetString(), orders[1].GetProperty("ceId").GetString()));
    }
}
