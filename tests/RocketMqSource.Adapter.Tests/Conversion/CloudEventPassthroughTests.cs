using System.Text;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.CloudEvents;
using RocketMqSource.CloudEvents.Json;
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
        Data = new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes("""{ "orderId" : 42 }""")),
        ["partitionkey"] = "customer-7",
    };

    [Fact]
    public async Task Binary_mode_message_is_forwarded_as_that_event_with_its_data_bytes_unchanged()
    {
        var carried = Original().ToRocketMqMessage(ContentMode.Binary, Formatter);
        var message = Messages.Raw(carried.Body.ToArray(), carried.Properties) with { Tag = "created" };

        var outgoing = Messages.Converter().Convert(message);
        var cloudEvent = Messages.EventOf(outgoing);

        Assert.Equal("evt-1", cloudEvent.Id);
        Assert.Equal("https://shop.example.com/orders", cloudEvent.Source!.OriginalString);
        Assert.Equal("com.example.order.created", cloudEvent.Type);
        Assert.Equal("order-42", cloudEvent.Subject);
        Assert.Equal("customer-7", cloudEvent["partitionkey"]);
        Assert.Null(cloudEvent["rocketmqtopic"]);
        using var request = outgoing.CreateRequest(new Uri("http://127.0.0.1/"));
        Assert.Equal("""{ "orderId" : 42 }""", await request.Content!.ReadAsStringAsync());
    }

    [Fact]
    public void Structured_mode_message_is_forwarded_as_that_event()
    {
        var carried = Original().ToRocketMqMessage(ContentMode.Structured, Formatter);

        var cloudEvent = Messages.EventOf(Messages.Converter().Convert(Messages.Raw(carried.Body.ToArray(), carried.Properties)));

        Assert.Equal("evt-1", cloudEvent.Id);
        Assert.Equal("com.example.order.created", cloudEvent.Type);
        Assert.Equal("application/json", cloudEvent.DataContentType);
        Assert.Equal("customer-7", cloudEvent["partitionkey"]);
    }

    [Fact]
    public void An_override_replaces_a_forwarded_extension_of_another_type()
    {
        var original = Original();
        original["attempt"] = 5;
        var carried = original.ToRocketMqMessage(ContentMode.Structured, Formatter);
        var outgoing = Messages.Converter().Convert(Messages.Raw(carried.Body.ToArray(), carried.Properties));
        Assert.Equal(5, Messages.EventOf(outgoing)["attempt"]);

        var overridden = Messages.EventOf(outgoing.WithExtensions(new Dictionary<string, string> { ["attempt"] = "five" }));

        Assert.Equal("five", overridden["attempt"]);
        Assert.Equal("evt-1", overridden.Id);
    }

    [Fact]
    public void Broken_ce_properties_are_non_retryable_with_the_raw_body_as_dead_letter_event()
    {
        var properties = new Dictionary<string, string> { ["CE_specversion"] = "1.0", ["CE_id"] = "x", ["CE_type"] = "t", ["CE_source"] = "/s", ["CE_time"] = "yesterday" };
        var body = Encoding.UTF8.GetBytes("raw order");

        var error = Assert.Throws<MessageConversionException>(() => Messages.Converter().Convert(Messages.Raw(body, properties)));

        Assert.Contains("time", error.Message, StringComparison.Ordinal);
        var deadLetter = Messages.EventOf(error.DeadLetterEvent!);
        Assert.Equal("01RAW", deadLetter.Id);
        Assert.Equal("dev.knative.rocketmq.event", deadLetter.Type);
        Assert.Equal(body, ((ReadOnlyMemory<byte>)deadLetter.Data!).ToArray());
        Assert.Equal("yesterday", deadLetter["rocketmqpropcetime"]);
    }

    [Fact]
    public void Invalid_structured_body_is_non_retryable_with_the_raw_body_as_dead_letter_event()
    {
        var properties = new Dictionary<string, string> { ["CE_contenttype"] = "application/cloudevents+json" };
        var body = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"x"}""");

        var error = Assert.Throws<MessageConversionException>(() => Messages.Converter().Convert(Messages.Raw(body, properties)));

        var deadLetter = Messages.EventOf(error.DeadLetterEvent!);
        Assert.Equal(body, ((ReadOnlyMemory<byte>)deadLetter.Data!).ToArray());
        Assert.Equal("application/json", deadLetter.DataContentType);
    }
}
