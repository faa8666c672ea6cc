using System.Text.Json;
using System.Text.Json.Nodes;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.OrderService;

/// <summary>
/// The official CloudEvents JS SDK (npm cloudevents) sends orders to the order service in binary
/// and structured mode and parses the reply events it answers with.
/// </summary>
public sealed class OrderServiceInteropTests : IAsyncLifetime
{
    private RunningOrderService _service = null!;

    public async Task InitializeAsync() => _service = await RunningOrderService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private async Task<List<JsonElement>> SendAsync(JsonObject order)
    {
        var result = await NodePeer.RunAsync("order-sender.mjs", [_service.BaseAddress.ToString(), order.ToJsonString()]);
        return JsonDocument.Parse(result.EnsureSuccess().StandardOutput).RootElement.EnumerateArray().ToList();
    }

    [Fact]
    public async Task Orders_from_the_JS_SDK_are_accepted_in_both_modes_and_the_SDK_reads_the_replies()
    {
        var results = await SendAsync(Orders.Valid("ORD-JS-1"));

        Assert.Equal(["binary", "structured"], results.Select(r => r.GetProperty("mode").GetString()));
        foreach (var result in results)
        {
            Assert.Equal(200, result.GetProperty("status").GetInt32());
            var reply = result.GetProperty("reply");
            Assert.Equal("dlv-ORD-JS-1.dispatch", reply.GetProperty("id").GetString());
            Assert.Equal("com.example.fooddelivery.delivery.dispatch", reply.GetProperty("type").GetString());
            Assert.Equal("/food-delivery/order-service", reply.GetProperty("source").GetString());
            Assert.Equal("ORD-JS-1", reply.GetProperty("subject").GetString());
            Assert.Equal("dlv-ORD-JS-1", reply.GetProperty("data").GetProperty("deliveryId").GetString());
            Assert.Equal(38.5m, reply.GetProperty("data").GetProperty("amount").GetDecimal());
        }

        Assert.Equal(["js-binary", "js-structured"], _service.Accepted.Select(a => a.CloudEventId));
        Assert.All(_service.Accepted, a => Assert.Equal("ORD-JS-1", a.OrderId));
    }

    [Fact]
    public async Task A_bad_order_from_the_JS_SDK_is_refused_in_both_modes_naming_the_field()
    {
        var results = await SendAsync(Orders.With("userPhoneNo", "not a phone"));

        foreach (var result in results)
        {
            Assert.Equal(400, result.GetProperty("status").GetInt32());
            var problem = JsonDocument.Parse(result.GetProperty("body").GetString()!).RootElement;
            Assert.Equal("userPhoneNo", problem.GetProperty("field").GetString());
        }

        Assert.Empty(_service.Accepted);
    }
}
