using System.Text.Json;

namespace RocketMqSource.Emulator.Tests.Interop;

/// <summary>FIFO ordering and the proxy's error codes as the official Node clients see them.</summary>
public class FifoAndErrorsInteropTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static string[] Bodies(JsonElement messages) =>
        messages.EnumerateArray().Select(message => message.GetProperty("body").GetString()!).ToArray();

    [Fact]
    public async Task Fifo_group_is_delivered_in_order_blocked_while_in_flight_and_redelivered_in_order()
    {
        var result = await fixture.RunAsync("fifo", EmulatorFixture.FifoTopic, "interop-fifo-group", "3000");

        string[] steps = ["step-1", "step-2", "step-3", "step-4", "step-5"];
        Assert.Equal(steps, Bodies(result.GetProperty("firstBatch")));
        Assert.All(result.GetProperty("firstBatch").EnumerateArray(), m => Assert.Equal("customer-42", m.GetProperty("messageGroup").GetString()));
        Assert.Empty(Bodies(result.GetProperty("whileBlocked")));
        Assert.Equal(steps, Bodies(result.GetProperty("redelivered")));
        Assert.All(result.GetProperty("redelivered").EnumerateArray(), m => Assert.Equal(2, m.GetProperty("deliveryAttempt").GetInt32()));
        Assert.Equal(["step-6"], Bodies(result.GetProperty("afterAck")));

        // The route says the FIFO topic accepts FIFO only, so the client itself refuses a plain message.
        Assert.Contains("accept message types", result.GetProperty("plainSend").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Bad_input_is_answered_with_the_proxy_s_codes()
    {
        var result = await fixture.RunAsync("errors", "interop-errors", "interop-errors-group");

        int Code(string name) => result.GetProperty(name).GetProperty("code").GetInt32();
        Assert.Equal(41302, Code("emptyBody"));
        Assert.Equal(40004, Code("tagWithBar"));
        Assert.Equal(40005, Code("blankKey"));
        Assert.Equal(43101, Code("tooManyProperties"));
        Assert.Equal(40012, Code("deliveryTooFar"));
        Assert.Equal(40011, Code("invisibleTooLong"));
        Assert.Equal(40010, Code("badSqlFilter"));
        Assert.Equal("BadRequestException", result.GetProperty("illegalTopic").GetProperty("name").GetString());
        Assert.Contains("40002", result.GetProperty("illegalTopic").GetProperty("message").GetString());
        Assert.Equal(0, fixture.Emulator.GetTopicStats().Single(t => t.Topic == "interop-errors").Stored);
    }

    [Fact]
    public async Task Delayed_message_is_delivered_no_earlier_than_its_delivery_time()
    {
        var result = await fixture.RunAsync("delay", "interop-delay", "interop-delay-group", "2000");

        Assert.Equal(result.GetProperty("sentId").GetString(), result.GetProperty("message").GetProperty("messageId").GetString());
        var due = result.GetProperty("deliveryTimestamp").GetInt64();
        Assert.True(result.GetProperty("receivedAt").GetInt64() >= due, "a delayed message must not arrive before its delivery time");
        Assert.Equal(1, fixture.Emulator.GetGroupStats("interop-delay-group", "interop-delay").Acked);
    }
}
