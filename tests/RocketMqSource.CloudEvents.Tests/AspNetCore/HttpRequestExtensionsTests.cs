using System.Text;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.AspNetCore.Http;
using RocketMqSource.CloudEvents.AspNetCore;
using RocketMqSource.CloudEvents.Tests.Support;

namespace RocketMqSource.CloudEvents.Tests.AspNetCore;

/// <summary>Our ASP.NET Core helpers read what the SDK's HTTP binding writes, and refuse what is not one event.</summary>
public class HttpRequestExtensionsTests
{
    private static readonly JsonEventFormatter Formatter = new();

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
    public async Task Declared_extension_attributes_are_read_with_their_types()
    {
        var count = CloudEventAttribute.CreateExtension("count", CloudEventAttributeType.Integer);
        var request = HttpMessages.Request(null, [], ("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t"), ("ce-count", "-7"));

        var cloudEvent = await request.ToCloudEventAsync(Formatter, count);

        Assert.Equal(-7, cloudEvent[count]);
        Assert.Null(cloudEvent.DataContentType);
        Assert.Null(cloudEvent.Data);
    }

    public static TheoryData<string?, (string, string)[], string> MalformedRequests => new()
    {
        { "application/json", [("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t")], "ce-specversion" },
        { null, [("ce-specversion", "1.0"), ("ce-source", "/s"), ("ce-type", "t")], "missing required attributes: id" },
        { null, [("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t"), ("ce-bad_name", "x")], "'bad_name'" },
        { null, [("ce-specversion", "0.3"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t")], "'specversion'" },
        { null, [("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t"), ("ce-time", "noon")], "'time'" },
        { "text", [("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t")], "'datacontenttype'" },
        { "application/cloudevents+json", [], "missing required attributes" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Malformed_requests_raise_ArgumentException_naming_the_attribute(string? contentType, (string, string)[] headers, string named)
    {
        var body = contentType == "application/cloudevents+json" ? """{"specversion":"1.0","id":"1"}""" : "{}";
        var request = HttpMessages.Request(contentType, Encoding.UTF8.GetBytes(body), headers);

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => request.ToCloudEventAsync(Formatter));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
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
    public async Task Batches_are_read_and_a_request_that_is_not_a_batch_is_refused()
    {
        var events = new[] { Event("b-1"), Event("b-2") };
        using var content = events.ToHttpContent(Formatter);
        var batch = await (await HttpMessages.ToRequestAsync(content)).ToCloudEventBatchAsync(Formatter);

        Assert.Equal(["b-1", "b-2"], batch.Select(e => e.Id));
        await Assert.ThrowsAsync<ArgumentException>(() => HttpMessages.Request("application/cloudevents+json", Encoding.UTF8.GetBytes("[]")).ToCloudEventBatchAsync(Formatter));
    }

    [Theory]
    [InlineData(ContentMode.Binary)]
    [InlineData(ContentMode.Structured)]
    public async Task Events_written_to_an_ASP_NET_Core_response_read_back_unchanged(ContentMode mode)
    {
        var cloudEvent = Event("reply-1");
        cloudEvent.DataContentType = "text/plain";
        cloudEvent.Data = "reply 😀";
        cloudEvent["greeting"] = "Grüße 100%";
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        await cloudEvent.CopyToHttpResponseAsync(context.Response, mode, Formatter);

        var request = HttpMessages.Request(context.Response.ContentType, body.ToArray(), [.. context.Response.Headers.Select(h => (h.Key, h.Value.ToString()))]);
        EventAssert.Equivalent(cloudEvent, await request.ToCloudEventAsync(Formatter));
        Assert.Equal(body.Length, context.Response.ContentLength);
        Assert.Equal("Gr%C3%BC%C3%9Fe%20100%25", context.Response.Headers["ce-greeting"].ToString());
    }

    [Fact]
    public async Task Writing_a_response_refuses_an_invalid_event()
    {
        var context = new DefaultHttpContext();

        await Assert.ThrowsAsync<ArgumentException>(() => new CloudEvent { Id = "1" }.CopyToHttpResponseAsync(context.Response, ContentMode.Binary, Formatter));
    }

    internal static CloudEvent Event(string id) => new()
    {
        Id = id,
        Source = new Uri("/apis/v1/namespaces/default/rocketmqsources/orders#orders", UriKind.Relative),
        Type = "dev.knative.rocketmq.event",
        Time = new DateTimeOffset(2026, 11, 21, 17, 30, 0, TimeSpan.Zero),
    };
}
