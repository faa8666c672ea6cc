using System.Text;
using System.Text.Json;
using RocketMqSource.CloudEvents.Json;
using RocketMqSource.CloudEvents.Tests.Model;

namespace RocketMqSource.CloudEvents.Tests.Json;

public class JsonEventFormatterTests
{
    private static readonly JsonEventFormatter Formatter = new();

    [Fact]
    public void Structured_events_carry_typed_extensions_and_the_JSON_event_content_type()
    {
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.Time = new DateTimeOffset(2026, 11, 21, 17, 30, 0, TimeSpan.Zero);
        cloudEvent["count"] = 42;
        cloudEvent["urgent"] = true;
        cloudEvent["signature"] = new byte[] { 1, 2, 3 };
        cloudEvent["greeting"] = "Grüße";

        var json = Encode(cloudEvent, out var contentType);

        Assert.Equal("application/cloudevents+json; charset=utf-8", contentType);
        Assert.Equal("1.0", json.GetProperty("specversion").GetString());
        Assert.Equal("2026-11-21T17:30:00Z", json.GetProperty("time").GetString());
        Assert.Equal(JsonValueKind.Number, json.GetProperty("count").ValueKind);
        Assert.Equal(42, json.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.True, json.GetProperty("urgent").ValueKind);
        Assert.Equal("AQID", json.GetProperty("signature").GetString());
        Assert.Equal("Grüße", json.GetProperty("greeting").GetString());
        Assert.False(json.TryGetProperty("data", out _));
    }

    [Fact]
    public void Bytes_become_data_base64_unless_the_content_type_is_JSON()
    {
        var binary = CloudEventTests.Complete();
        binary.DataContentType = "application/octet-stream";
        binary.Data = new byte[] { 0, 255 };
        var jsonBytes = CloudEventTests.Complete();
        jsonBytes.DataContentType = "application/vnd.order+json";
        jsonBytes.Data = Encoding.UTF8.GetBytes("""{"orderId":1}""");

        var encodedBinary = Encode(binary, out _);
        var encodedJson = Encode(jsonBytes, out _);

        Assert.Equal("AP8=", encodedBinary.GetProperty("data_base64").GetString());
        Assert.False(encodedBinary.TryGetProperty("data", out _));
        Assert.Equal(1, encodedJson.GetProperty("data").GetProperty("orderId").GetInt32());
        Assert.False(encodedJson.TryGetProperty("data_base64", out _));
    }

    [Fact]
    public void Bytes_that_claim_to_be_JSON_but_are_not_are_refused()
    {
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.DataContentType = "application/json";
        cloudEvent.Data = Encoding.UTF8.GetBytes("{not json");

        var error = Assert.Throws<InvalidCloudEventException>(() => Formatter.EncodeStructuredModeMessage(cloudEvent, out _));

        Assert.Equal("data", error.AttributeName);
    }

    [Fact]
    public void Unsupported_data_types_are_refused()
    {
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.Data = new { Order = 1 };

        Assert.Equal("data", Assert.Throws<InvalidCloudEventException>(() => Formatter.EncodeStructuredModeMessage(cloudEvent, out _)).AttributeName);
        Assert.Equal("data", Assert.Throws<InvalidCloudEventException>(() => Formatter.EncodeBinaryModeEventData(cloudEvent)).AttributeName);
    }

    [Fact]
    public void Encoding_refuses_an_event_missing_a_required_attribute()
    {
        var cloudEvent = new CloudEvent { Id = "1", Type = "t" };

        Assert.Equal("source", Assert.Throws<InvalidCloudEventException>(() => Formatter.EncodeStructuredModeMessage(cloudEvent, out _)).AttributeName);
    }

    [Fact]
    public void Decoding_types_unknown_extensions_from_their_JSON_values()
    {
        var cloudEvent = Decode("""{"specversion":"1.0","id":"1","source":"/s","type":"t","count":7,"urgent":false,"label":"x","empty":null}""");

        Assert.Equal(7, cloudEvent["count"]);
        Assert.Equal(false, cloudEvent["urgent"]);
        Assert.Equal("x", cloudEvent["label"]);
        Assert.Null(cloudEvent.GetAttribute("empty"));
    }

    [Fact]
    public void Decoding_parses_declared_extensions_by_their_type()
    {
        var deadline = CloudEventAttribute.CreateExtension("deadline", CloudEventAttributeType.Timestamp);

        var cloudEvent = Formatter.DecodeStructuredModeMessage(
            Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"1","source":"/s","type":"t","deadline":"2026-01-01T00:00:00Z"}"""),
            "application/cloudevents+json",
            [deadline]);

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), cloudEvent[deadline]);
    }

    [Fact]
    public void Decoding_reads_each_data_kind()
    {
        var json = Decode("""{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"a":[1,2]}}""");
        var text = Decode("""{"specversion":"1.0","id":"1","source":"/s","type":"t","datacontenttype":"text/plain","data":"héllo"}""");
        var bytes = Decode("""{"specversion":"1.0","id":"1","source":"/s","type":"t","data_base64":"AP8="}""");

        Assert.Equal(2, Assert.IsType<JsonElement>(json.Data).GetProperty("a")[1].GetInt32());
        Assert.Equal("héllo", text.Data);
        Assert.Equal(new byte[] { 0, 255 }, bytes.Data);
    }

    [Theory]
    [InlineData("""{"id":"1","source":"/s","type":"t"}""", "specversion")]
    [InlineData("""{"specversion":"0.3","id":"1","source":"/s","type":"t"}""", "specversion")]
    [InlineData("""{"specversion":"1.0","source":"/s","type":"t"}""", "id")]
    [InlineData("""{"specversion":"1.0","id":"1","type":"t"}""", "source")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s"}""", "type")]
    [InlineData("""{"specversion":"1.0","id":1,"source":"/s","type":"t"}""", "id")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","Upper":"x"}""", "Upper")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","nested":{"a":1}}""", "nested")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","big":2147483648}""", "big")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"yesterday"}""", "time")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","data":"x","data_base64":"AA=="}""", "data")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","data_base64":"%%%"}""", "data_base64")]
    public void Malformed_events_are_refused_naming_the_attribute(string json, string attribute)
    {
        var error = Assert.Throws<InvalidCloudEventException>(() => Decode(json));

        Assert.Equal(attribute, error.AttributeName);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    public void Bodies_that_are_not_a_JSON_object_are_refused(string body)
    {
        Assert.Throws<InvalidCloudEventException>(() => Decode(body));
    }

    [Fact]
    public void Other_event_formats_are_refused()
    {
        Assert.Throws<InvalidCloudEventException>(() =>
            Formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes("{}"), "application/cloudevents+avro", null));
    }

    [Fact]
    public void Batches_are_JSON_arrays_of_events_with_the_batch_content_type()
    {
        var first = CloudEventTests.Complete();
        var second = CloudEventTests.Complete();
        second.Id = "order-2";

        var body = Formatter.EncodeBatchModeMessage([first, second], out var contentType);
        var decoded = Formatter.DecodeBatchModeMessage(body, contentType, null);

        Assert.Equal("application/cloudevents-batch+json; charset=utf-8", contentType);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(body).RootElement.ValueKind);
        Assert.Equal(["order-1", "order-2"], decoded.Select(e => e.Id));
        Assert.Empty(Formatter.DecodeBatchModeMessage(Encoding.UTF8.GetBytes("[]"), contentType, null));
    }

    [Fact]
    public void A_batch_that_is_not_an_array_or_holds_a_bad_event_is_refused()
    {
        Assert.Throws<InvalidCloudEventException>(() => Formatter.DecodeBatchModeMessage(Encoding.UTF8.GetBytes("{}"), null, null));
        var error = Assert.Throws<InvalidCloudEventException>(() =>
            Formatter.DecodeBatchModeMessage(Encoding.UTF8.GetBytes("""[{"specversion":"1.0","id":"1","source":"/s"}]"""), null, null));
        Assert.Equal("type", error.AttributeName);
        Assert.Throws<InvalidCloudEventException>(() =>
            Formatter.DecodeBatchModeMessage(Encoding.UTF8.GetBytes("[]"), "application/cloudevents+json", null));
    }

    [Fact]
    public void Binary_mode_data_follows_the_content_type()
    {
        var body = Encoding.UTF8.GetBytes("""{"a":1}""");
        Assert.IsType<JsonElement>(DecodeData(body, "application/json; charset=utf-8"));
        Assert.Equal("""{"a":1}""", DecodeData(body, "text/plain"));
        Assert.Same(body, DecodeData(body, "application/octet-stream"));
        Assert.Same(body, DecodeData(body, null));
        Assert.Null(DecodeData([], "application/json"));
        Assert.Equal("data", Assert.Throws<InvalidCloudEventException>(() => DecodeData(Encoding.UTF8.GetBytes("{"), "application/json")).AttributeName);
    }

    [Fact]
    public void Binary_mode_data_of_bytes_is_not_copied_and_strings_of_JSON_content_are_JSON_strings()
    {
        var bytes = new byte[] { 1, 2, 3 };
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.Data = (ReadOnlyMemory<byte>)bytes;
        var encoded = Formatter.EncodeBinaryModeEventData(cloudEvent);
        bytes[0] = 9;
        Assert.Equal(9, encoded.Span[0]);

        cloudEvent.DataContentType = "application/json";
        cloudEvent.Data = "hi";
        Assert.Equal("\"hi\"", Encoding.UTF8.GetString(Formatter.EncodeBinaryModeEventData(cloudEvent).Span));
        cloudEvent.DataContentType = "text/plain";
        Assert.Equal("hi", Encoding.UTF8.GetString(Formatter.EncodeBinaryModeEventData(cloudEvent).Span));
    }

    private static JsonElement Encode(CloudEvent cloudEvent, out string contentType) =>
        JsonDocument.Parse(Formatter.EncodeStructuredModeMessage(cloudEvent, out contentType)).RootElement.Clone();

    private static CloudEvent Decode(string json) =>
        Formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(json), "application/cloudevents+json; charset=utf-8", null);

    private static object? DecodeData(byte[] body, string? contentType)
    {
        var cloudEvent = CloudEventTests.Complete();
        cloudEvent.DataContentType = contentType;
        Formatter.DecodeBinaryModeEventData(body, cloudEvent);
        return cloudEvent.Data;
    }
}
