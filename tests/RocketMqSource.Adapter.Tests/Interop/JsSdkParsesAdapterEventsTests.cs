using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Adapter.Tests.Properties;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.CloudEvents.RocketMq;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Interop;

/// <summary>
/// The requests the dispatcher sends (the converter's event, K_CE_OVERRIDES applied, written by the
/// SDK's binary-mode HttpContent with the adapter's formatter) go to a Node server that parses them
/// with the official CloudEvents JS SDK and validates them strictly.
/// </summary>
public class JsSdkParsesAdapterEventsTests
{
    [Fact]
    public async Task The_JS_SDK_parses_a_json_order_a_binary_body_and_a_forwarded_cloudevent()
    {
        var overrides = new Dictionary<string, string> { ["team"] = "orders" };
        var converter = Messages.Converter();
        var withOverrides = Messages.Converter(overrides: overrides);
        var order = Messages.Plain(tag: "created", keys: ["order-42"], group: "customer-7", properties: new() { ["Region"] = "eu-west", ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
        byte[] binary = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        var original = new CloudEvent
        {
            Id = "evt-1",
            Source = new Uri("https://shop.example.com/orders"),
            Type = "com.example.order.created",
            DataContentType = "application/json",
            Data = Encoding.UTF8.GetBytes("""{"orderId":7}"""),
            ["partitionkey"] = "customer-7",
        };
        var carried = Messages.Carrying(original.ToRocketMqMessage(ContentMode.Binary, new JsonEventFormatter()).SetTopic("orders").Build());

        var port = LoopbackPort.GetFree();
        var node = NodePeer.RunAsync("cloudevents-receiver.mjs", [port.ToString(CultureInfo.InvariantCulture), "3"]);
        await NodeReceiver.UntilListeningAsync(port, node);
        using var client = new HttpClient();
        var target = new Uri($"http://127.0.0.1:{port}/");

        var seenOrder = await PostAsync(client, withOverrides.Convert(order), target);
        var seenBinary = await PostAsync(client, converter.Convert(Messages.Raw(binary)), target);
        var seenForwarded = await PostAsync(client, withOverrides.Convert(carried), target);
        (await node).EnsureSuccess();

        var attributes = seenOrder.GetProperty("attributes");
        Assert.Equal("01ABCDEF", Value(attributes, "id"));
        Assert.Equal("/apis/v1/namespaces/shop/rocketmqsources/orders-source#orders", Value(attributes, "source"));
        Assert.Equal("dev.knative.rocketmq.event", Value(attributes, "type"));
        Assert.Equal("created", Value(attributes, "subject"));
        Assert.Equal("2026-11-21T12:30:15.123Z", Value(attributes, "time"));
        Assert.Equal("application/json", Value(attributes, "datacontenttype"));
        Assert.Equal("orders", Value(attributes, "rocketmqtopic"));
        Assert.Equal("order-42", Value(attributes, "rocketmqkeys"));
        Assert.Equal("customer-7", Value(attributes, "rocketmqgroup"));
        Assert.Equal("eu-west", Value(attributes, "rocketmqpropregion"));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Value(attributes, "traceparent"));
        Assert.Equal("orders", Value(attributes, "team"));
        Assert.Equal("json", seenOrder.GetProperty("data").GetProperty("kind").GetString());
        Assert.Equal(42, seenOrder.GetProperty("data").GetProperty("value").GetProperty("orderId").GetInt32());

        Assert.Equal("application/octet-stream", Value(seenBinary.GetProperty("attributes"), "datacontenttype"));
        Assert.Equal("binary", seenBinary.GetProperty("data").GetProperty("kind").GetString());
        Assert.Equal(Convert.ToBase64String(binary), seenBinary.GetProperty("data").GetProperty("base64").GetString());

        var forwarded = seenForwarded.GetProperty("attributes");
        Assert.Equal("evt-1", Value(forwarded, "id"));
        Assert.Equal("https://shop.example.com/orders", Value(forwarded, "source"));
        Assert.Equal("com.example.order.created", Value(forwarded, "type"));
        Assert.Equal("customer-7", Value(forwarded, "partitionkey"));
        Assert.Equal("orders", Value(forwarded, "team"));
        Assert.False(forwarded.TryGetProperty("rocketmqtopic", out _));
        Assert.Equal(7, seenForwarded.GetProperty("data").GetProperty("value").GetProperty("orderId").GetInt32());
    }

    /// <summary>
    /// Issue 21's generated batch end to end: Apache's official Node producer sends the generator's
    /// mix to the emulator, the real adapter process delivers it, every message ends as docs/adapter.md says
    /// (its event at the sink, read with the C# SDK, or its plain mapping at the dead-letter sink), and
    /// the official JS SDK parses and strictly validates every request the sink got.
    /// </summary>
    [Fact]
    public async Task A_generated_mix_from_apaches_node_producer_through_the_adapter_process_reaches_the_sink_as_readme_says()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        using var sink = SinkDouble.Answering(202);
        using var deadLetters = SinkDouble.Answering(202);
        var messages = ProducedMessages.Mix(250, maxBody: 64 * 1024);
        var produced = await NodePeer.RunAsync("rocketmq-produce-mix.mjs",
            standardInput: JsonSerializer.Serialize(messages.Select(m => ProducedMessages.ToNodeMessage(m, "orders"))),
            environment: new Dictionary<string, string> { ["ROCKETMQ_ENDPOINT"] = rocketMq.Endpoint }, timeout: TimeSpan.FromSeconds(120));
        var ids = JsonSerializer.Deserialize<string[]>(produced.EnsureSuccess().StandardOutput)!;
        Assert.Equal(messages.Count, ids.Length);
        var env = new Dictionary<string, string>
        {
            ["K_SINK"] = sink.Uri.AbsoluteUri,
            ["K_DEAD_LETTER_SINK"] = deadLetters.Uri.AbsoluteUri,
            ["ROCKETMQ_ENDPOINTS"] = rocketMq.Endpoint,
            ["ROCKETMQ_TOPIC"] = "orders",
            ["ROCKETMQ_CONSUMER_GROUP"] = "order-adapter",
            ["ROCKETMQ_INVISIBLE_DURATION"] = "10s",
            ["NAMESPACE"] = "shop",
            ["NAME"] = "orders-source",
        };

        await using (var adapter = await AdapterProcess.StartAsync(env))
        {
            await Eventually.WaitAsync(() => rocketMq.Stats("order-adapter", "orders") is { Backlog: 0, InFlight: 0 }, "every message acked", TimeSpan.FromSeconds(60));
        }

        DocumentedMapping.AssertEveryMessageEnded(messages, ids, sink.Requests, deadLetters.Requests);

        var port = LoopbackPort.GetFree();
        var requests = sink.Requests;
        var node = NodePeer.RunAsync("cloudevents-receiver.mjs", [port.ToString(CultureInfo.InvariantCulture), requests.Count.ToString(CultureInfo.InvariantCulture)]);
        await NodeReceiver.UntilListeningAsync(port, node);
        using var client = new HttpClient();
        foreach (var request in requests)
        {
            using var replay = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/") { Content = new ByteArrayContent(request.Body) };
            foreach (var (name, value) in request.Headers.Where(h => h.Key.StartsWith("ce-", StringComparison.Ordinal) || h.Key == "content-type"))
            {
                _ = name == "content-type" ? replay.Content.Headers.TryAddWithoutValidation(name, value) : replay.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await client.SendAsync(replay);
            var seen = await response.Content.ReadAsStringAsync();
            if (ClaimsJsonButIsNot(request))
            {
                // A forwarded event whose data is not the JSON its datacontenttype says goes as it is
                // (docs/adapter.md: never parsed); a receiver that parses it may refuse it, and its answer decides.
                Assert.True(response.IsSuccessStatusCode || seen.Contains("JSON", StringComparison.Ordinal), seen);
                continue;
            }

            Assert.True(response.IsSuccessStatusCode, $"the JS SDK refused what the sink got for {request.EventId}: {seen}");
            var parsed = JsonDocument.Parse(seen).RootElement;
            // The JS SDK 10 keeps ce- header values percent-encoded (the HTTP binding §3.1.3.2 has
            // receivers decode them; the C# SDK does): compared decoded.
            Assert.Equal(DocumentedMapping.Read(request).Id, Uri.UnescapeDataString(Value(parsed.GetProperty("attributes"), "id")!));
        }

        (await node).EnsureSuccess();
    }

    private static bool ClaimsJsonButIsNot(SinkRequest request)
    {
        if (!request.Header("content-type").Contains("json", StringComparison.OrdinalIgnoreCase) || request.Header("content-type").StartsWith("application/cloudevents", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            _ = new UTF8Encoding(false, true).GetString(request.Body);
            using var document = JsonDocument.Parse(request.Body);
            return false;
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            return true;
        }
    }

    private static string? Value(JsonElement attributes, string name) =>
        attributes.TryGetProperty(name, out var attribute) ? attribute.GetProperty("value").GetString() : null;

    private static async Task<JsonElement> PostAsync(HttpClient client, CloudEvent cloudEvent, Uri target)
    {
        using var content = cloudEvent.ToHttpContent(ContentMode.Binary, AdapterEventFormatter.Instance);
        using var response = await client.PostAsync(target, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"the JS SDK refused {cloudEvent.Id}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
