using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.CloudEvents.AspNetCore;
using RocketMqSource.CloudEvents.Tests.AspNetCore;
using RocketMqSource.CloudEvents.Tests.Support;

namespace RocketMqSource.CloudEvents.Tests;

/// <summary>
/// Where the official SDK behaves differently from the library it replaced, on purpose and pinned
/// here: byte data in structured mode, its datacontenttype rule, and its exception types.
/// </summary>
public class SdkBehaviourTests
{
    private static readonly JsonEventFormatter Formatter = new();

    [Fact]
    public async Task Byte_data_travels_as_data_base64_in_structured_mode_even_when_it_is_json()
    {
        var cloudEvent = HttpRequestExtensionsTests.Event("bytes");
        cloudEvent.DataContentType = "application/json";
        cloudEvent.Data = Encoding.UTF8.GetBytes("""{"a":1}""");

        using var content = cloudEvent.ToHttpContent(ContentMode.Structured, Formatter);
        var body = JsonDocument.Parse(await content.ReadAsStringAsync()).RootElement;

        Assert.False(body.TryGetProperty("data", out _));
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"a":1}""")), body.GetProperty("data_base64").GetString());
        var read = await (await HttpMessages.ToRequestAsync(content)).ToCloudEventAsync(Formatter);
        Assert.Equal(Encoding.UTF8.GetBytes("""{"a":1}"""), read.Data);
    }

    [Fact]
    public async Task Byte_data_is_the_binary_mode_body_as_it_is()
    {
        var data = Encoding.UTF8.GetBytes("""{ "a" : 1 }""");
        var cloudEvent = HttpRequestExtensionsTests.Event("bytes");
        cloudEvent.DataContentType = "application/json";
        cloudEvent.Data = data;

        using var content = cloudEvent.ToHttpContent(ContentMode.Binary, Formatter);

        Assert.Equal(data, await content.ReadAsByteArrayAsync());
        Assert.Equal(data.Length, content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("not a type")]
    [InlineData(" application/json")]
    [InlineData("a/b; x")]
    public void Datacontenttype_must_parse_as_a_content_type(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => new CloudEvent { DataContentType = value });

        Assert.Contains("'datacontenttype'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_values_raise_ArgumentException_naming_the_attribute()
    {
        Assert.Contains("'note'", Assert.Throws<ArgumentException>(() => new CloudEvent { ["note"] = "line\nbreak" }).Message, StringComparison.Ordinal);
        Assert.Contains("'time'", Assert.Throws<ArgumentException>(() => new CloudEvent().SetAttributeFromString("time", "noon")).Message, StringComparison.Ordinal);
        Assert.Contains("missing required attributes: type", Assert.Throws<ArgumentException>(() =>
            new CloudEvent { Id = "1", Source = new Uri("/s", UriKind.Relative) }.ToHttpContent(ContentMode.Binary, Formatter)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_mode_data_needs_a_content_type()
    {
        var cloudEvent = HttpRequestExtensionsTests.Event("untyped");
        cloudEvent.Data = new byte[] { 1 };

        Assert.Throws<ArgumentException>(() => cloudEvent.ToHttpContent(ContentMode.Binary, Formatter));
    }
}
