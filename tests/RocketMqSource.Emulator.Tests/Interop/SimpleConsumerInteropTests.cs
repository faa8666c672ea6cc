using System.Text.Json;

namespace RocketMqSource.Emulator.Tests.Interop;

/// <summary>The official Node Producer and SimpleConsumer (rocketmq-client-nodejs 1.0.8) against the emulator.</summary>
public class SimpleConsumerInteropTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static string[] Bodies(JsonElement received) =>
        received.EnumerateArray().Select(message => message.GetProperty("body").GetString()!).Order().ToArray();

    [Fact]
    public async Task Producer_sends_and_simple_consumer_receives_and_acks_everything()
    {
        var result = await fixture.RunAsync("send-receive", "interop-orders", "interop-all", "*", "TAG", "3");

        var received = result.GetProperty("received");
        Assert.Equal(["{\"order\":1}", "{\"order\":2}", "{\"order\":3}"], Bodies(received));
        var sentIds = result.GetProperty("sent").EnumerateArray().Select(s => s.GetProperty("messageId").GetString()).Order();
        Assert.Equal(sentIds, received.EnumerateArray().Select(m => m.GetProperty("messageId").GetString()).Order());
        var paid = received.EnumerateArray().Single(m => m.GetProperty("tag").GetString() == "paid");
        Assert.Equal("order-2", paid.GetProperty("keys")[0].GetString());
        Assert.Equal("us", paid.GetProperty("properties").GetProperty("region").GetString());
        Assert.Equal(1, paid.GetProperty("deliveryAttempt").GetInt32());
        Assert.False(paid.GetProperty("corrupted").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, paid.GetProperty("bornTimestamp").ValueKind);

        Assert.Equal(new ConsumerGroupStats("interop-all", "interop-orders", 0, 0, 3, 0), fixture.Emulator.GetGroupStats("interop-all", "interop-orders"));
    }

    [Fact]
    public async Task Tag_subscription_gets_only_matching_tags()
    {
        var result = await fixture.RunAsync("send-receive", "interop-tags", "interop-tag-group", "paid || shipped", "TAG", "1");

        Assert.Equal(["{\"order\":2}"], Bodies(result.GetProperty("received")));
        var stats = fixture.Emulator.GetGroupStats("interop-tag-group", "interop-tags");
        Assert.Equal((0, 0, 1), (stats.Backlog, stats.InFlight, stats.Acked));
    }

    [Fact]
    public async Task Sql92_subscription_filters_on_user_properties()
    {
        var result = await fixture.RunAsync("send-receive", "interop-sql", "interop-sql-group", "region = 'us' AND amount > 100", "SQL92", "1");

        Assert.Equal(["{\"order\":2}"], Bodies(result.GetProperty("received")));
    }

    [Fact]
    public async Task Unacked_message_comes_back_after_its_invisible_time_with_a_new_handle()
    {
        var result = await fixture.RunAsync("redelivery", "interop-retry", "interop-retry-group", "1000");

        var first = result.GetProperty("first");
        var second = result.GetProperty("second");
        Assert.Equal(result.GetProperty("sentId").GetString(), first.GetProperty("messageId").GetString());
        Assert.Equal(first.GetProperty("messageId").GetString(), second.GetProperty("messageId").GetString());
        Assert.Equal(1, first.GetProperty("deliveryAttempt").GetInt32());
        Assert.Equal(2, second.GetProperty("deliveryAttempt").GetInt32());
        Assert.NotEqual(first.GetProperty("receiptHandle").GetString(), second.GetProperty("receiptHandle").GetString());

        // The expired handle of the first delivery is refused with INVALID_RECEIPT_HANDLE.
        Assert.Equal(40013, result.GetProperty("staleAck").GetProperty("code").GetInt32());

        // ChangeInvisibleDuration hands out a new handle; the previous one no longer acks.
        var handles = result.GetProperty("handles");
        Assert.NotEqual(handles.GetProperty("beforeChange").GetString(), handles.GetProperty("afterChange").GetString());
        Assert.Equal(40013, result.GetProperty("oldHandleAck").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("newHandleAck").ValueKind);
        Assert.Equal(0, result.GetProperty("afterAckCount").GetInt32());
        Assert.Equal(1, fixture.Emulator.GetGroupStats("interop-retry-group", "interop-retry").Acked);
    }
}
