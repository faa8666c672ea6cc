using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Adapter.Tests.Support;

namespace RocketMqSource.Adapter.Tests.Conversion;

public class PlainMessageConversionTests
{
    [Fact]
    public void Json_order_message_gets_the_designed_attributes_and_extensions()
    {
        var message = Messages.Plain(tag: "created", keys: ["order-42", "customer-7"], group: "customer-7",
            properties: new() { ["region"] = "eu-west", ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", ["tracestate"] = "rojo=00f067aa0ba902b7" });

        var cloudEvent = Messages.Converter().Convert(message);

        Assert.Equal("01ABCDEF", cloudEvent.Id);
        Assert.Equal("/apis/v1/namespaces/shop/rocketmqsources/orders-source#orders", cloudEvent.Source!.OriginalString);
        Assert.Equal("dev.knative.rocketmq.event", cloudEvent.Type);
        Assert.Equal("created", cloudEvent.Subject);
        Assert.Equal(Messages.Born, cloudEvent.Time);
        Assert.Equal("application/json", cloudEvent.DataContentType);
        Assert.Equal("orders", cloudEvent["rocketmqtopic"]);
        Assert.Equal("created", cloudEvent["rocketmqtag"]);
        Assert.Equal("order-42 customer-7", cloudEvent["rocketmqkeys"]);
        Assert.Equal("customer-7", cloudEvent["rocketmqgroup"]);
        Assert.Equal("eu-west", cloudEvent["rocketmqpropregion"]);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", cloudEvent["traceparent"]);
        Assert.Equal("rojo=00f067aa0ba902b7", cloudEvent["tracestate"]);
        Assert.Null(cloudEvent["rocketmqproptraceparent"]);
        Assert.Same(message.Body, cloudEvent.Data);
    }

    [Fact]
    public void Untagged_ungrouped_message_has_no_subject_tag_keys_or_group()
    {
        var cloudEvent = Messages.Converter().Convert(Messages.Plain());

        Assert.Null(cloudEvent.Subject);
        Assert.Null(cloudEvent["rocketmqtag"]);
        Assert.Null(cloudEvent["rocketmqkeys"]);
        Assert.Null(cloudEvent["rocketmqgroup"]);
    }

    [Fact]
    public void Source_falls_back_to_default_namespace_and_the_consumer_group_and_escapes_the_topic()
    {
        var cloudEvent = Messages.Converter(ns: null, name: null).Convert(Messages.Plain(topic: "%RETRY%orders"));

        Assert.Equal("/apis/v1/namespaces/default/rocketmqsources/order-adapter#%25RETRY%25orders", cloudEvent.Source!.OriginalString);
    }

    [Theory]
    [InlineData("""{"a":[1,2,{"b":null}]}""", "application/json")]
    [InlineData("  \"just a string\"\n", "application/json")]
    [InlineData("42", "application/json")]
    [InlineData("{\"a\":1} trailing", "application/octet-stream")]
    [InlineData("{\"a\":", "application/octet-stream")]
    [InlineData("hello world", "application/octet-stream")]
    public void Content_type_is_json_only_for_one_json_value(string body, string expected) =>
        Assert.Equal(expected, Messages.Converter().Convert(Messages.Plain(body)).DataContentType);

    [Fact]
    public void Binary_body_is_octet_stream_and_kept_byte_for_byte()
    {
        byte[] body = [0xFF, 0x00, 0xC3, 0x28, 0x7B, 0x0A];
        var cloudEvent = Messages.Converter().Convert(Messages.Raw(body));

        Assert.Equal("application/octet-stream", cloudEvent.DataContentType);
        Assert.Equal(body, cloudEvent.Data);
    }

    [Theory]
    [InlineData("contentType")]
    [InlineData("content-type")]
    [InlineData("CONTENT_TYPE")]
    public void Content_type_property_wins_over_detection(string key)
    {
        var cloudEvent = Messages.Converter().Convert(Messages.Plain(properties: new() { [key] = "text/csv; charset=utf-8" }));

        Assert.Equal("text/csv; charset=utf-8", cloudEvent.DataContentType);
    }

    [Fact]
    public void Content_type_property_that_is_no_media_type_is_ignored()
    {
        var cloudEvent = Messages.Converter().Convert(Messages.Plain(properties: new() { ["contentType"] = "not a type" }));

        Assert.Equal("application/json", cloudEvent.DataContentType);
        Assert.Equal("not a type", cloudEvent["rocketmqpropcontenttype"]);
    }

    [Fact]
    public void Property_values_with_control_characters_become_valid_strings()
    {
        var cloudEvent = Messages.Converter().Convert(Messages.Plain(tag: "a\u0001b", properties: new() { ["note"] = "line1\nline2\uD800" }));

        Assert.Equal("line1\uFFFDline2\uFFFD", cloudEvent["rocketmqpropnote"]);
        Assert.Equal("a\uFFFDb", cloudEvent.Subject);
    }

    [Fact]
    public async Task Binary_mode_request_carries_headers_and_the_body_as_is()
    {
        var cloudEvent = Messages.Converter().Convert(Messages.Plain(tag: "créé", properties: new() { ["Region Name"] = "eu west" }));

        using var content = cloudEvent.ToHttpContent(ContentMode.Binary, AdapterEventFormatter.Instance);

        Assert.Equal("""{"orderId":42}""", Encoding.UTF8.GetString(await content.ReadAsByteArrayAsync()));
        Assert.Equal("""{"orderId":42}""", Encoding.UTF8.GetString(await content.ReadAsByteArrayAsync()));
        Assert.Equal("application/json", content.Headers.ContentType!.ToString());
        Assert.Equal("1.0", Header(content, "ce-specversion"));
        Assert.Equal("01ABCDEF", Header(content, "ce-id"));
        Assert.Equal("cr%C3%A9%C3%A9", Header(content, "ce-subject"));
        Assert.Equal("eu%20west", Header(content, "ce-rocketmqpropregionname"));
        Assert.Equal("2026-11-21T12:30:15.123Z", Header(content, "ce-time"));
    }

    [Fact]
    public void Ce_overrides_add_and_replace_string_extensions_last()
    {
        var overrides = new Dictionary<string, string> { ["team"] = "orders", ["rocketmqpropregion"] = "us\n" };

        var cloudEvent = Messages.Converter(overrides: overrides).Convert(Messages.Plain(properties: new() { ["region"] = "eu" }));

        Assert.Equal("orders", cloudEvent["team"]);
        Assert.Equal("us\uFFFD", cloudEvent["rocketmqpropregion"]);
        Assert.Equal("01ABCDEF", cloudEvent.Id);
    }

    private static string Header(HttpContent content, string name) => string.Join(",", content.Headers.GetValues(name));
}
