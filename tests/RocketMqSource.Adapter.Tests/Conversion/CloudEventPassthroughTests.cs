using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.CloudEvents.RocketMq;

namespace RocketMqSource.Adapter.Tests.Conversion;

public class CloudEventPassthroughTests
{
    private static readonly JsonEventFormatter Formatter = new();

    private static CloudEvent Original() => new()
    {
        Id = "evt-1",
        Source = new Uri("https://shop.example.com/orders"),
        Type = "com.example.order.created",
        Subject = "order-42",
        DataContentType = "application/json",
        Data = Encoding.UTF8.GetBytes("""{ "orderId" : 42 }"""),
        ["partitionkey"] = "customer-7",
    };

    private static RocketMqSource.RocketMq.MessageView Carrying(CloudEvent cloudEvent, ContentMode mode) =>
        Messages.Carrying(cloudEvent.ToRocketMqMessage(mode, Formatter).SetTopic("orders").SetTag("created").Build());

    [Fact]
    public async Task Binary_mode_message_is_forwarded_as_that_event_with_its_data_bytes_unchanged()
    {
        var message = Carrying(Original(), ContentMode.Binary);

        var cloudEvent = Messages.Converter().Convert(message);

        Assert.Equal("evt-1", cloudEvent.Id);
        Assert.Equal("https://shop.example.com/orders", cloudEvent.Source!.OriginalString);
        Assert.Equal("com.example.order.created", cloudEvent.Type);
        Assert.Equal("order-42", cloudEvent.Subject);
        Assert.Equal("customer-7", cloudEvent["partitionkey"]);
        Assert.Null(cloudEvent["rocketmqtopic"]);
        // Not parsed and re-encoded: the very body array is the data.
        Assert.Same(message.Body, cloudEvent.Data);
        Assert.Equal("""{ "orderId" : 42 }""", Encoding.UTF8.GetString(await Messages.BodyOf(cloudEvent)));
    }

    [Fact]
    public void Binary_mode_data_that_is_not_the_json_it_claims_is_forwarded_unchanged()
    {
        var original = Original();
        original.Data = Encoding.UTF8.GetBytes("{ not json");

        var cloudEvent = Messages.Converter().Convert(Carrying(original, ContentMode.Binary));

        Assert.Equal("{ not json", Encoding.UTF8.GetString(Assert.IsType<byte[]>(cloudEvent.Data)));
    }

    [Fact]
    public async Task Structured_mode_message_is_forwarded_as_that_event()
    {
        var original = Original();
        original.Data = System.Text.Json.JsonDocument.Parse("""{"orderId":42}""").RootElement.Clone();

        var cloudEvent = Messages.Converter().Convert(Carrying(original, ContentMode.Structured));

        Assert.Equal("evt-1", cloudEvent.Id);
        Assert.Equal("com.example.order.created", cloudEvent.Type);
        Assert.Equal("application/json", cloudEvent.DataContentType);
        Assert.Equal("customer-7", cloudEvent["partitionkey"]);
        // JSON data is serialised through the source-generated metadata (what Native AOT needs).
        Assert.Equal("""{"orderId":42}""", Encoding.UTF8.GetString(await Messages.BodyOf(cloudEvent)));
    }

    [Fact]
    public void An_override_replaces_a_forwarded_extension_of_another_type()
    {
        var original = Original();
        original[CloudEventAttribute.CreateExtension("attempt", CloudEventAttributeType.Integer)] = 5;
        var message = Carrying(original, ContentMode.Structured);
        var attempt = CloudEventAttribute.CreateExtension("attempt", CloudEventAttributeType.Integer);
        Assert.Equal(5, message.ToCloudEvent(Formatter, attempt)[attempt]);

        var overridden = Messages.Converter(overrides: new Dictionary<string, string> { ["attempt"] = "five" }).Convert(message);

        Assert.Equal("five", overridden["attempt"]);
        Assert.Equal("evt-1", overridden.Id);
    }

    [Fact]
    public void Broken_ce_properties_are_non_retryable_with_the_raw_body_as_dead_letter_event()
    {
        var properties = new Dictionary<string, string> { ["CE_specversion"] = "1.0", ["CE_id"] = "x", ["CE_type"] = "t", ["CE_source"] = "/s", ["CE_time"] = "yesterday" };
        var body = Encoding.UTF8.GetBytes("raw order");

        var error = Assert.Throws<MessageConversionException>(() => Messages.Converter().Convert(Messages.Raw(body, properties)));

        Assert.Contains("'time'", error.Message, StringComparison.Ordinal);
        var deadLetter = error.DeadLetterEvent!;
        Assert.Equal("01RAW", deadLetter.Id);
        Assert.Equal("dev.knative.rocketmq.event", deadLetter.Type);
        Assert.Equal(body, deadLetter.Data);
        Assert.Equal("yesterday", deadLetter["rocketmqpropcetime"]);
    }

    [Fact]
    public void Invalid_structured_body_is_non_retryable_with_the_raw_body_as_dead_letter_event()
    {
        var properties = new Dictionary<string, string> { ["CE_contenttype"] = "application/cloudevents+json" };
        var body = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"x"}""");

        var error = Assert.Throws<MessageConversionException>(() => Messages.Converter().Convert(Messages.Raw(body, properties)));

        Assert.Contains("missing required attributes", error.Message, StringComparison.Ordinal);
        Assert.Equal(body, error.DeadLetterEvent!.Data);
        Assert.Equal("application/json", error.DeadLetterEvent.DataContentType);
    }

    [Fact]
    public void A_structured_body_that_is_no_json_is_non_retryable_too()
    {
        var properties = new Dictionary<string, string> { ["CE_contentType"] = "application/cloudevents+json" };

        var error = Assert.Throws<MessageConversionException>(() => Messages.Converter().Convert(Messages.Raw(Encoding.UTF8.GetBytes("not json"), properties)));

        Assert.Equal("application/octet-stream", error.DeadLetterEvent!.DataContentType);
    }
}
