using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RocketMqSource.CloudEvents.AspNetCore;
using RocketMqSource.CloudEvents.Http;
using RocketMqSource.CloudEvents.Json;
using RocketMqSource.CloudEvents.Tests.Model;
using RocketMqSource.CloudEvents.Tests.Support;

namespace RocketMqSource.CloudEvents.Tests.Http;

public class HttpBindingTests
{
    private static readonly JsonEventFormatter Formatter = new();

    [Fact]
    public async Task Binary_mode_puts_attributes_in_ce_headers_and_datacontenttype_in_Content_Type()
    {
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.Time = new DateTimeOffset(2026, 11, 21, 17, 30, 0, TimeSpan.FromHours(1));
        cloudEvent.DataContentType = "text/plain; charset=utf-8";
        cloudEvent.Data = "hello";
        cloudEvent["greeting"] = "Grüße 100%";
        cloudEvent["count"] = 5;

        using var content = cloudEvent.ToHttpContent(ContentMode.Binary, Formatter);

        Assert.Equal("1.0", HttpMessages.Header(content, "ce-specversion"));
        Assert.Equal("order-1", HttpMessages.Header(content, "ce-id"));
        Assert.Equal("/apis/v1/namespaces/default/rocketmqsources/orders#orders", HttpMessages.Header(content, "ce-source"));
        Assert.Equal("dev.knative.rocketmq.event", HttpMessages.Header(content, "ce-type"));
        Assert.Equal("2026-11-21T17:30:00+01:00", HttpMessages.Header(content, "ce-time"));
        Assert.Equal("Gr%C3%BC%C3%9Fe%20100%25", HttpMessages.Header(content, "ce-greeting"));
        Assert.Equal("5", HttpMessages.Header(content, "ce-count"));
        Assert.Equal("text/plain; charset=utf-8", HttpMessages.Header(content, "Content-Type"));
        Assert.Null(HttpMessages.Header(content, "ce-datacontenttype"));
        Assert.Equal("hello", await content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Binary_mode_sends_byte_data_without_copying_it()
    {
        var bytes = new byte[] { 1, 2, 3 };
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.Data = (ReadOnlyMemory<byte>)bytes;

        using var content = cloudEvent.ToHttpContent(ContentMode.Binary, Formatter);
        bytes[1] = 42;

        Assert.Equal(new byte[] { 1, 42, 3 }, await content.ReadAsByteArrayAsync());
        Assert.Null(HttpMessages.Header(content, "Content-Type"));
        Assert.Equal(3, content.Headers.ContentLength);
    }

    [Fact]
    public async Task Structured_mode_sends_the_JSON_event_with_its_content_type()
    {
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.DataContentType = "application/json";
        cloudEvent.Data = JsonDocument.Parse("""{"orderId":1}""").RootElement;

        using var content = cloudEvent.ToHttpContent(ContentMode.Structured, Formatter);
        var body = JsonDocument.Parse(await content.ReadAsByteArrayAsync()).RootElement;

        Assert.Equal("application/cloudevents+json; charset=utf-8", HttpMessages.Header(content, "Content-Type"));
        Assert.Null(HttpMessages.Header(content, "ce-id"));
        Assert.Equal("order-1", body.GetProperty("id").GetString());
        Assert.Equal(1, body.GetProperty("data").GetProperty("orderId").GetInt32());
        Assert.Equal(body.GetRawText().Length, content.Headers.ContentLength);
    }

    [Fact]
    public void Writing_an_invalid_event_names_the_missing_attribute()
    {
        var cloudEvent = new CloudEvent { Id = "1", Source = new Uri("/s", UriKind.Relative) };

        Assert.Equal("type", Assert.Throws<InvalidCloudEventException>(() => cloudEvent.ToHttpContent(ContentMode.Binary, Formatter)).AttributeName);
        Assert.Equal("type", Assert.Throws<InvalidCloudEventException>(() => cloudEvent.ToHttpContent(ContentMode.Structured, Formatter)).AttributeName);
    }

    [Fact]
    public async Task Binary_requests_are_read_with_case_insensitive_header_names_and_percent_decoding()
    {
        var request = HttpMessages.Request(
            "application/octet-stream",
            [7, 8],
            ("CE-SpecVersion", "1.0"),
            ("Ce-Id", "a%20b"),
            ("ce-source", "/s"),
            ("ce-type", "t"),
            ("ce-greeting", "Gr%C3%BC%C3%9Fe"),
            ("x-other", "ignored"));

        Assert.True(request.IsCloudEvent());
        var cloudEvent = await request.ToCloudEventAsync(Formatter);

        Assert.Equal("a b", cloudEvent.Id);
        Assert.Equal("Grüße", cloudEvent["greeting"]);
        Assert.Equal("application/octet-stream", cloudEvent.DataContentType);
        Assert.Equal(new byte[] { 7, 8 }, cloudEvent.Data);
        Assert.Null(cloudEvent.GetAttribute("other"));
    }

    [Fact]
    public async Task A_binary_request_without_Content_Type_has_no_datacontenttype()
    {
        var request = HttpMessages.Request(null, [1], ("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t"));

        var cloudEvent = await request.ToCloudEventAsync(Formatter);

        Assert.Null(cloudEvent.DataContentType);
        Assert.Equal(new byte[] { 1 }, cloudEvent.Data);
    }

    public static TheoryData<string?, (string, string)[], string?> MalformedRequests => new()
    {
        { "application/json", [("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t")], "specversion" },
        { null, [("ce-specversion", "1.0"), ("ce-source", "/s"), ("ce-type", "t")], "id" },
        { null, [("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t"), ("ce-count", "100%")], "count" },
        { null, [("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t"), ("ce-bad_name", "x")], "bad_name" },
        { null, [("ce-specversion", "0.3"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t")], "specversion" },
        { null, [("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "not a uri"), ("ce-type", "t")], "source" },
        { null, [("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t"), ("ce-time", "noon")], "time" },
        { "application/cloudevents+json", [], "specversion" },
        { "application/cloudevents-batch+json", [], null },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Malformed_requests_raise_InvalidCloudEventException_naming_the_attribute(string? contentType, (string, string)[] headers, string? attribute)
    {
        var request = HttpMessages.Request(contentType, Encoding.UTF8.GetBytes("{}"), headers);

        var error = await Assert.ThrowsAsync<InvalidCloudEventException>(() => request.ToCloudEventAsync(Formatter));

        Assert.Equal(attribute, error.AttributeName);
    }

    [Fact]
    public void IsCloudEvent_tells_single_events_batches_and_plain_requests_apart()
    {
        Assert.True(HttpMessages.Request("application/cloudevents+json; charset=utf-8", []).IsCloudEvent());
        Assert.True(HttpMessages.Request("application/json", [], ("ce-specversion", "1.0")).IsCloudEvent());
        Assert.False(HttpMessages.Request("application/json", []).IsCloudEvent());
        Assert.False(HttpMessages.Request("application/cloudevents-batch+json", []).IsCloudEvent());
        Assert.True(HttpMessages.Request("application/cloudevents-batch+json", []).IsCloudEventBatch());
        Assert.False(HttpMessages.Request("application/cloudevents+json", []).IsCloudEventBatch());
    }

    [Fact]
    public async Task Batch_reading_refuses_a_request_that_is_not_a_batch()
    {
        var request = HttpMessages.Request("application/cloudevents+json", Encoding.UTF8.GetBytes("[]"));

        await Assert.ThrowsAsync<InvalidCloudEventException>(() => request.ToCloudEventBatchAsync(Formatter));
    }

    [Theory]
    [InlineData(ContentMode.Binary)]
    [InlineData(ContentMode.Structured)]
    public async Task Events_written_to_an_ASP_NET_Core_response_read_back_unchanged(ContentMode mode)
    {
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.DataContentType = "text/plain";
        cloudEvent.Data = "reply 😀";
        cloudEvent["greeting"] = "Grüße";
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        await cloudEvent.CopyToHttpResponseAsync(context.Response, mode, Formatter);

        var request = HttpMessages.Request(context.Response.ContentType, body.ToArray(), [.. context.Response.Headers.Select(h => (h.Key, h.Value.ToString()))]);
        EventAssert.Equivalent(cloudEvent, await request.ToCloudEventAsync(Formatter));
        Assert.Equal(body.Length, context.Response.ContentLength);
    }
}
