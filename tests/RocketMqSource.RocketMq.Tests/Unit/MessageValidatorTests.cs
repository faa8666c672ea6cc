using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Tests.Unit;

public sealed class MessageValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Message.Builder Valid() => new Message.Builder().SetTopic("orders").SetBody([1, 2, 3]);

    [Theory]
    [InlineData("orders")]
    [InlineData("%RETRY%group_a-1|x")]
    public void Good_topics_pass(string topic) => Assert.Null(MessageValidator.ValidateTopic(topic));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("or ders")]
    [InlineData("orders.eu")]
    [InlineData("rmq_sys_trace")]
    public void Bad_topics_are_illegal_topic(string topic) =>
        Assert.Equal(Code.IllegalTopic, MessageValidator.ValidateTopic(topic)?.Code);

    [Fact]
    public void Topic_length_limit_is_127()
    {
        Assert.Null(MessageValidator.ValidateTopic(new string('t', 127)));
        Assert.Equal(Code.IllegalTopic, MessageValidator.ValidateTopic(new string('t', 128))?.Code);
    }

    [Fact]
    public void Consumer_group_rules()
    {
        Assert.Null(MessageValidator.ValidateConsumerGroup("GID_orders-1"));
        Assert.Equal(Code.IllegalConsumerGroup, MessageValidator.ValidateConsumerGroup("g g")?.Code);
        Assert.Equal(Code.IllegalConsumerGroup, MessageValidator.ValidateConsumerGroup(new string('g', 256))?.Code);
    }

    [Theory]
    [InlineData("a|b")]
    [InlineData(" ")]
    public void Tags_must_be_non_blank_without_a_bar(string tag) =>
        Assert.Equal(Code.IllegalMessageTag, MessageValidator.ValidateTag(tag)?.Code);

    [Fact]
    public void Body_rules_use_the_given_limit()
    {
        Assert.Equal(Code.MessageBodyEmpty, MessageValidator.ValidateBody([], 10)?.Code);
        Assert.Null(MessageValidator.ValidateBody(new byte[10], 10));
        Assert.Equal(Code.MessageBodyTooLarge, MessageValidator.ValidateBody(new byte[11], 10)?.Code);
    }

    [Fact]
    public void Keys_must_not_be_blank() =>
        Assert.Equal(Code.IllegalMessageKey, MessageValidator.ValidateKeys(["k1", " "])?.Code);

    [Fact]
    public void Message_group_must_be_shorter_than_64_bytes()
    {
        Assert.Null(MessageValidator.ValidateMessageGroup(new string('g', 63)));
        Assert.Equal(Code.IllegalMessageGroup, MessageValidator.ValidateMessageGroup(new string('g', 64))?.Code);
        Assert.Equal(Code.IllegalMessageGroup, MessageValidator.ValidateMessageGroup(new string('é', 32))?.Code);
        Assert.Equal(Code.IllegalMessageGroup, MessageValidator.ValidateMessageGroup("")?.Code);
    }

    [Fact]
    public void Property_count_and_size_limits()
    {
        var many = Enumerable.Range(0, 129).ToDictionary(i => $"k{i}", _ => "v");
        Assert.Equal(Code.MessagePropertiesTooLarge, MessageValidator.ValidateProperties(many)?.Code);
        var big = new Dictionary<string, string> { ["k"] = new string('v', 16 * 1024) };
        Assert.Equal(Code.MessagePropertiesTooLarge, MessageValidator.ValidateProperties(big)?.Code);
        var fits = new Dictionary<string, string> { ["k"] = new string('v', (16 * 1024) - 1) };
        Assert.Null(MessageValidator.ValidateProperties(fits));
        Assert.Equal(Code.IllegalMessagePropertyKey, MessageValidator.ValidateProperties(new Dictionary<string, string> { [" "] = "v" })?.Code);
    }

    [Fact]
    public void Delivery_time_more_than_a_day_ahead_is_refused()
    {
        var soon = Valid().SetDeliveryTimestamp(Now.AddHours(23).UtcDateTime).Build();
        var late = Valid().SetDeliveryTimestamp(Now.AddHours(25).UtcDateTime).Build();
        Assert.Null(MessageValidator.ValidateMessage(soon, MessageValidator.DefaultMaxBodySize, Now));
        Assert.Equal(Code.IllegalDeliveryTime, MessageValidator.ValidateMessage(late, MessageValidator.DefaultMaxBodySize, Now)?.Code);
    }

    [Fact]
    public void Validation_errors_become_the_typed_exception_the_proxy_would_cause()
    {
        Assert.IsType<BadRequestException>(new ValidationError(Code.IllegalMessageTag, "x").ToException());
        Assert.IsType<PayloadTooLargeException>(new ValidationError(Code.MessageBodyTooLarge, "x").ToException());
        Assert.IsType<RequestHeaderFieldsTooLargeException>(new ValidationError(Code.MessagePropertiesTooLarge, "x").ToException());
    }

    [Fact]
    public void Message_builder_refuses_what_the_proxy_would_refuse()
    {
        Assert.Throws<ArgumentException>(() => Valid().SetTag("a|b").Build());
        Assert.Throws<ArgumentException>(() => Valid().SetKeys("").Build());
        Assert.Throws<ArgumentException>(() => Valid().SetTopic("bad topic").Build());
        Assert.Throws<ArgumentException>(() => Valid().SetBody([]).Build());
        Assert.Throws<ArgumentException>(() => Valid().SetMessageGroup("g").SetDeliveryTimestamp(DateTime.UtcNow).Build());
        Assert.Throws<ArgumentException>(() => new Message.Builder().SetBody([1]).Build());
    }

    [Fact]
    public void Message_builder_keeps_every_field()
    {
        var when = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var message = Valid().SetTag("TagA").SetKeys("k1", "k2").AddProperty("p", "v").SetDeliveryTimestamp(when).Build();

        Assert.Equal("orders", message.Topic);
        Assert.Equal([1, 2, 3], message.Body);
        Assert.Equal("TagA", message.Tag);
        Assert.Equal(["k1", "k2"], message.Keys);
        Assert.Equal("v", message.Properties["p"]);
        Assert.Equal(when, message.DeliveryTimestamp);
        Assert.Equal("g1", Valid().SetMessageGroup("g1").Build().MessageGroup);
    }
}
