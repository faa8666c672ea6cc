using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RocketMqSource.CloudEvents.Json;
using RocketMqSource.CloudEvents.RocketMq;
using RocketMqSource.CloudEvents.Tests.Model;

namespace RocketMqSource.CloudEvents.Tests.RocketMq;

public class RocketMqBindingTests
{
    private static readonly JsonEventFormatter Formatter = new();

    [Fact]
    public void Binary_mode_maps_each_attribute_to_a_CE_property_and_datacontenttype_to_CE_contenttype()
    {
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.Time = new DateTimeOffset(2026, 11, 21, 17, 30, 0, TimeSpan.Zero);
        cloudEvent.DataContentType = "application/octet-stream";
        cloudEvent.Data = new byte[] { 1, 2 };
        cloudEvent["greeting"] = "Grüße 100%";
        cloudEvent["count"] = 3;

        var message = cloudEvent.ToRocketMqMessage(ContentMode.Binary, Formatter);

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
        Assert.Equal(new byte[] { 1, 2 }, message.Body.ToArray());
    }

    [Fact]
    public void Structured_mode_sets_only_CE_contenttype_and_puts_the_JSON_event_in_the_body()
    {
        var cloudEvent = CloudEventTests.Complete();

        var message = cloudEvent.ToRocketMqMessage(ContentMode.Structured, Formatter);

        Assert.Equal(new Dictionary<string, string> { ["CE_contenttype"] = "application/cloudevents+json; charset=utf-8" }, message.Properties);
        Assert.Equal("order-1", JsonDocument.Parse(message.Body).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public void IsCloudEvent_recognises_both_modes_and_not_plain_messages()
    {
        Assert.True(RocketMqExtensions.IsCloudEvent(new Dictionary<string, string> { ["CE_specversion"] = "1.0" }));
        Assert.True(RocketMqExtensions.IsCloudEvent(new Dictionary<string, string> { ["CE_contenttype"] = "application/cloudevents+json; charset=UTF-8" }));
        Assert.True(RocketMqExtensions.IsCloudEvent(new Dictionary<string, string> { ["CE_contentType"] = "application/cloudevents+json" }));
        Assert.False(RocketMqExtensions.IsCloudEvent(new Dictionary<string, string> { ["CE_contenttype"] = "application/json" }));
        Assert.False(RocketMqExtensions.IsCloudEvent(new Dictionary<string, string> { ["KEYS"] = "k", ["TAGS"] = "t" }));
    }

    [Fact]
    public void Reading_binary_mode_ignores_other_properties_and_does_not_copy_the_body()
    {
        var body = new byte[] { 5, 6, 7 };
        var properties = new Dictionary<string, string>
        {
            ["CE_specversion"] = "1.0",
            ["CE_id"] = "m-1",
            ["CE_source"] = "/s",
            ["CE_type"] = "t",
            ["CE_contenttype"] = "image/png",
            ["CE_greeting"] = "Grüße",
            ["TAGS"] = "food",
            ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        };

        var cloudEvent = RocketMqExtensions.ToCloudEvent(properties, body, Formatter);

        Assert.Equal("m-1", cloudEvent.Id);
        Assert.Equal("image/png", cloudEvent.DataContentType);
        Assert.Equal("Grüße", cloudEvent["greeting"]);
        Assert.Same(body, cloudEvent.Data);
        Assert.Equal(
            new HashSet<string> { "specversion", "id", "source", "type", "datacontenttype", "greeting" },
            cloudEvent.GetPopulatedAttributes().Select(a => a.Key.Name).ToHashSet());
    }

    [Fact]
    public void Reading_structured_mode_accepts_the_spec_example_spelling()
    {
        var properties = new Dictionary<string, string> { ["CE_contentType"] = "application/cloudevents+json; charset=UTF-8" };
        var body = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"s-1","source":"/s","type":"t","data":{"a":1}}""");

        var cloudEvent = RocketMqExtensions.ToCloudEvent(properties, body, Formatter);

        Assert.Equal("s-1", cloudEvent.Id);
        Assert.Equal(1, Assert.IsType<JsonElement>(cloudEvent.Data).GetProperty("a").GetInt32());
    }

    [Theory]
    [InlineData("CE_Upper", "x", "Upper")]
    [InlineData("CE_count", "three", "count")]
    [InlineData("CE_time", "noon", "time")]
    public void Reading_refuses_bad_properties_naming_the_attribute(string key, string value, string attribute)
    {
        var properties = new Dictionary<string, string>
        {
            ["CE_specversion"] = "1.0",
            ["CE_id"] = "1",
            ["CE_source"] = "/s",
            ["CE_type"] = "t",
            [key] = value,
        };

        var error = Assert.Throws<InvalidCloudEventException>(() =>
            RocketMqExtensions.ToCloudEvent(properties, ReadOnlyMemory<byte>.Empty, Formatter, CloudEventAttribute.CreateExtension("count", CloudEventAttributeType.Integer)));

        Assert.Equal(attribute, error.AttributeName);
    }

    [Fact]
    public void Reading_refuses_messages_that_are_not_one_event()
    {
        Assert.Equal("id", Assert.Throws<InvalidCloudEventException>(() => RocketMqExtensions.ToCloudEvent(
            new Dictionary<string, string> { ["CE_specversion"] = "1.0", ["CE_source"] = "/s", ["CE_type"] = "t" }, default, Formatter)).AttributeName);
        Assert.Equal("specversion", Assert.Throws<InvalidCloudEventException>(() => RocketMqExtensions.ToCloudEvent(
            new Dictionary<string, string> { ["TAGS"] = "t" }, default, Formatter)).AttributeName);
        Assert.Throws<InvalidCloudEventException>(() => RocketMqExtensions.ToCloudEvent(
            new Dictionary<string, string> { ["CE_contenttype"] = "application/cloudevents-batch+json" }, Encoding.UTF8.GetBytes("[]"), Formatter));
    }

    [Fact]
    public void Writing_binary_mode_keeps_the_data_buffer()
    {
        var buffer = new byte[] { 1, 2, 3, 4 };
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.Data = (ReadOnlyMemory<byte>)buffer.AsMemory(1, 2);

        var message = cloudEvent.ToRocketMqMessage(ContentMode.Binary, Formatter);

        Assert.True(MemoryMarshal.TryGetArray(message.Body, out var segment));
        Assert.Same(buffer, segment.Array);
        Assert.Equal(1, segment.Offset);
    }
}
