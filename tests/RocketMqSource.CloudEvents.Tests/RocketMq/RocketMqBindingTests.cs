using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.CloudEvents.RocketMq;
using RocketMqSource.CloudEvents.Tests.AspNetCore;
using RocketMqSource.CloudEvents.Tests.Support;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace RocketMqSource.CloudEvents.Tests.RocketMq;

public class RocketMqBindingTests
{
    private static readonly JsonEventFormatter Formatter = new();

    private static Message Build(Message.Builder builder) => builder.SetTopic("orders").Build();

    private static Message Plain(Dictionary<string, string> properties, byte[] body)
    {
        var builder = new Message.Builder().SetTopic("orders").SetBody(body);
        foreach (var (key, value) in properties)
        {
            builder.AddProperty(key, value);
        }

        return builder.Build();
    }

    private static Dictionary<string, string> Attributes(params (string Key, string Value)[] more)
    {
        var properties = new Dictionary<string, string>
        {
            ["CE_specversion"] = "1.0", ["CE_id"] = "evt-1", ["CE_source"] = "/orders", ["CE_type"] = "com.example.order.created",
        };
        foreach (var (key, value) in more)
        {
            properties[key] = value;
        }

        return properties;
    }

    [Fact]
    public void A_binary_mode_event_without_any_content_type_is_valid_and_keeps_no_datacontenttype()
    {
        // datacontenttype is OPTIONAL (CloudEvents 1.0 §3.1.1): issue 21's messages. (The SDK's JSON
        // formatter reads data without a content type as JSON; the adapter's keeps the bytes.)
        var read = Plain(Attributes(), """{"orderId":7}"""u8.ToArray()).ToCloudEvent(Formatter);

        Assert.Null(read.DataContentType);
        Assert.Equal(7, Assert.IsType<JsonElement>(read.Data).GetProperty("orderId").GetInt32());
        Assert.Equal("evt-1", read.Id);
    }

    [Fact]
    public void CE_datacontenttype_is_the_content_type_when_CE_contenttype_is_absent_and_CE_contenttype_wins_when_both_are_there()
    {
        var onlyData = Plain(Attributes(("CE_datacontenttype", "text/plain")), "hi"u8.ToArray()).ToCloudEvent(Formatter);
        var both = Plain(Attributes(("CE_datacontenttype", "text/plain"), ("CE_contenttype", "application/xml")), "<a/>"u8.ToArray()).ToCloudEvent(Formatter);
        // An invalid CE_datacontenttype under a valid CE_contenttype is never read.
        var ignored = Plain(Attributes(("CE_datacontenttype", "text"), ("CE_contentType", "application/xml")), "<a/>"u8.ToArray()).ToCloudEvent(Formatter);

        Assert.Equal("text/plain", onlyData.DataContentType);
        Assert.Equal("application/xml", both.DataContentType);
        Assert.Equal("application/xml", ignored.DataContentType);
        Assert.Null(both["datacontenttype2"]);
    }

    [Fact]
    public void With_several_spellings_of_CE_contenttype_the_ordinally_first_key_wins_whatever_the_order()
    {
        var forward = Plain(Attributes(("CE_contentType", "application/xml"), ("CE_CONTENTTYPE", "text/plain")), "x"u8.ToArray()).ToCloudEvent(Formatter);
        var backward = Plain(Attributes(("CE_CONTENTTYPE", "text/plain"), ("CE_contentType", "application/xml")), "x"u8.ToArray()).ToCloudEvent(Formatter);

        Assert.Equal(("text/plain", "text/plain"), (forward.DataContentType, backward.DataContentType));
    }

    [Fact]
    public async Task A_received_batch_is_recognised_and_refused()
    {
        await using var emulator = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0" });
        var batch = Plain(new Dictionary<string, string> { ["CE_contenttype"] = "application/cloudevents-batch+json" }, "[]"u8.ToArray());

        var view = await RoundTripAsync(emulator, batch);

        Assert.True(view.IsCloudEventBatch());
        Assert.False(view.IsCloudEvent());
        Assert.Throws<ArgumentException>(() => view.ToCloudEvent(Formatter));
    }

    [Fact]
    public void Binary_mode_maps_each_attribute_to_a_CE_property_and_datacontenttype_to_CE_contenttype()
    {
        var cloudEvent = HttpRequestExtensionsTests.Event("order-1");
        cloudEvent.DataContentType = "application/octet-stream";
        cloudEvent.Data = new byte[] { 1, 2 };
        cloudEvent["greeting"] = "Grüße 100%";
        cloudEvent[CloudEventAttribute.CreateExtension("count", CloudEventAttributeType.Integer)] = 3;

        var message = Build(cloudEvent.ToRocketMqMessage(ContentMode.Binary, Formatter));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["CE_specversion"] = "1.0",
                ["CE_id"] = "order-1",
                ["CE_source"] = "/apis/v1/namespaces/default/rocketmqsources/orders#orders",
                ["CE_type"] = "dev.knative.rocketmq.event",
                ["CE_time"] = "2026-11-21T17:30:00Z",
                ["CE_contenttype"] = "application/octet-stream",
                ["CE_greeting"] = "Grüße 100%",
                ["CE_count"] = "3",
            },
            message.Properties);
        // byte[] data is the body itself.
        Assert.Same(cloudEvent.Data, message.Body);
    }

    [Fact]
    public void Structured_mode_sets_only_CE_contenttype_and_puts_the_JSON_event_in_the_body()
    {
        var message = Build(HttpRequestExtensionsTests.Event("order-1").ToRocketMqMessage(ContentMode.Structured, Formatter));

        Assert.Equal(new Dictionary<string, string> { ["CE_contenttype"] = "application/cloudevents+json; charset=utf-8" }, message.Properties);
        Assert.Equal("order-1", JsonDocument.Parse(message.Body).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public void An_event_without_data_travels_in_structured_mode_only_because_RocketMQ_refuses_an_empty_body()
    {
        var cloudEvent = HttpRequestExtensionsTests.Event("ping");

        var error = Assert.Throws<ArgumentException>(() => cloudEvent.ToRocketMqMessage(ContentMode.Binary, Formatter));

        Assert.Contains("structured mode", error.Message, StringComparison.Ordinal);
        Assert.Equal("ping", Build(cloudEvent.ToRocketMqMessage(ContentMode.Structured, Formatter)).ToCloudEvent(Formatter).Id);
    }

    [Fact]
    public void IsCloudEvent_recognises_both_modes_and_not_plain_messages_or_batches()
    {
        Assert.True(Plain(new() { ["CE_specversion"] = "1.0" }, [1]).IsCloudEvent());
        Assert.True(Plain(new() { ["CE_contenttype"] = "application/cloudevents+json; charset=UTF-8" }, [1]).IsCloudEvent());
        Assert.True(Plain(new() { ["CE_contentType"] = "application/cloudevents+json" }, [1]).IsCloudEvent());
        Assert.False(Plain(new() { ["CE_contenttype"] = "application/json" }, [1]).IsCloudEvent());
        Assert.False(Plain(new() { ["CE_contenttype"] = "application/cloudevents-batch+json" }, [1]).IsCloudEvent());
        Assert.False(Plain(new() { ["region"] = "eu" }, [1]).IsCloudEvent());
    }

    [Fact]
    public void Reading_binary_mode_ignores_other_properties()
    {
        var message = Plain(new()
        {
            ["CE_specversion"] = "1.0",
            ["CE_id"] = "m-1",
            ["CE_source"] = "/s",
            ["CE_type"] = "t",
            ["CE_contenttype"] = "image/png",
            ["CE_greeting"] = "Grüße",
            ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        }, [5, 6, 7]);

        var cloudEvent = message.ToCloudEvent(Formatter);

        Assert.Equal("m-1", cloudEvent.Id);
        Assert.Equal("image/png", cloudEvent.DataContentType);
        Assert.Equal("Grüße", cloudEvent["greeting"]);
        Assert.Equal(new byte[] { 5, 6, 7 }, cloudEvent.Data);
        Assert.Equal(
            new HashSet<string> { "id", "source", "type", "datacontenttype", "greeting" },
            cloudEvent.GetPopulatedAttributes().Select(a => a.Key.Name).ToHashSet());
    }

    [Fact]
    public void Reading_structured_mode_accepts_the_spec_example_spelling()
    {
        var message = Plain(
            new() { ["CE_contentType"] = "application/cloudevents+json; charset=UTF-8" },
            Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"s-1","source":"/s","type":"t","data":{"a":1}}"""));

        var cloudEvent = message.ToCloudEvent(Formatter);

        Assert.Equal("s-1", cloudEvent.Id);
        Assert.Equal(1, Assert.IsType<JsonElement>(cloudEvent.Data).GetProperty("a").GetInt32());
    }

    [Theory]
    [InlineData("CE_Upper", "x", "'Upper'")]
    [InlineData("CE_count", "three", "'count'")]
    [InlineData("CE_time", "noon", "'time'")]
    [InlineData("CE_specversion", "0.3", "'specversion'")]
    public void Reading_refuses_bad_properties_with_ArgumentException_naming_the_attribute(string key, string value, string named)
    {
        var message = Plain(new() { ["CE_specversion"] = "1.0", ["CE_id"] = "1", ["CE_source"] = "/s", ["CE_type"] = "t", [key] = value }, [1]);

        var error = Assert.ThrowsAny<ArgumentException>(() => message.ToCloudEvent(Formatter, CloudEventAttribute.CreateExtension("count", CloudEventAttributeType.Integer)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_refuses_messages_that_are_not_one_event()
    {
        Assert.Contains("missing required attributes: id", Assert.Throws<ArgumentException>(() =>
            Plain(new() { ["CE_specversion"] = "1.0", ["CE_source"] = "/s", ["CE_type"] = "t" }, Encoding.UTF8.GetBytes("{}")).ToCloudEvent(Formatter)).Message, StringComparison.Ordinal);
        // Not a CloudEvent at all: InvalidOperationException, as the SDK's Kafka binding throws.
        Assert.Throws<InvalidOperationException>(() => Plain(new() { ["region"] = "eu" }, [1]).ToCloudEvent(Formatter));
        Assert.Throws<ArgumentException>(() => Plain(new() { ["CE_contenttype"] = "application/cloudevents-batch+json" }, Encoding.UTF8.GetBytes("[]")).ToCloudEvent(Formatter));
    }

    [Theory]
    [InlineData(ContentMode.Binary)]
    [InlineData(ContentMode.Structured)]
    public async Task Events_sent_through_RocketMQ_read_back_from_the_received_message_view(ContentMode mode)
    {
        await using var emulator = await RocketMqEmulator.StartAsync(new() { Listen = "127.0.0.1:0" });
        var config = new ClientConfig.Builder().SetEndpoints(emulator.Endpoint).EnableSsl(false).Build();
        await using var producer = await new Producer.Builder().SetClientConfig(config).SetTopics("orders").BuildAsync();
        await using var consumer = await new SimpleConsumer.Builder().SetClientConfig(config).SetConsumerGroup("binding")
            .SetAwaitDuration(TimeSpan.FromSeconds(5))
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["orders"] = new("*") }).BuildAsync();
        var sent = HttpRequestExtensionsTests.Event("through-rocketmq");
        sent.DataContentType = "application/json";
        sent.Data = JsonDocument.Parse("""{"order":"Grüße 😀"}""").RootElement.Clone();
        sent["greeting"] = "Grüße 100%";

        await producer.SendAsync(sent.ToRocketMqMessage(mode, Formatter).SetTopic("orders").SetTag("created").Build());
        var view = Assert.Single(await consumer.ReceiveAsync(1, TimeSpan.FromSeconds(30)));

        Assert.True(view.IsCloudEvent());
        Assert.Equal("created", view.Tag);
        EventAssert.Equivalent(sent, view.ToCloudEvent(Formatter));
    }

    /// <summary>Sends the message through the emulator and receives it back as a MessageView.</summary>
    private static async Task<MessageView> RoundTripAsync(RocketMqEmulator emulator, Message message)
    {
        var config = new ClientConfig.Builder().SetEndpoints(emulator.Endpoint).EnableSsl(false).Build();
        await using var producer = await new Producer.Builder().SetClientConfig(config).SetTopics("orders").BuildAsync();
        await using var consumer = await new SimpleConsumer.Builder().SetClientConfig(config).SetConsumerGroup("round-trip")
            .SetAwaitDuration(TimeSpan.FromSeconds(5))
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["orders"] = new("*") }).BuildAsync();
        await producer.SendAsync(message);
        return Assert.Single(await consumer.ReceiveAsync(1, TimeSpan.FromSeconds(30)));
    }
}
