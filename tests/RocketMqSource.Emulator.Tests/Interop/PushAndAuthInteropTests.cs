using System.Text.Json;
using RocketMqSource.Emulator.Hosting;

namespace RocketMqSource.Emulator.Tests.Interop;

/// <summary>The official PushConsumer, and signed requests against an emulator with credentials.</summary>
public class PushAndAuthInteropTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Push_consumer_consumes_and_acks_through_query_assignment_and_auto_renew_receives()
    {
        var result = await fixture.RunAsync("push", "interop-push", "interop-push-group", "3");

        Assert.False(result.GetProperty("timedOut").GetBoolean());
        var sent = result.GetProperty("sent").EnumerateArray().Select(id => id.GetString()).Order();
        var consumed = result.GetProperty("consumed").EnumerateArray().Select(m => m.GetProperty("messageId").GetString()).Order();
        Assert.Equal(sent, consumed);
        var stats = fixture.Emulator.GetGroupStats("interop-push-group", "interop-push");
        Assert.Equal((0L, 0L, 3L), (stats.Backlog, stats.InFlight, stats.Acked));
    }

    [Fact]
    public async Task Signed_requests_pass_and_a_wrong_secret_is_unauthorized()
    {
        var options = new RocketMqEmulatorOptions { Listen = "127.0.0.1:0", AccessKey = "test-ak", SecretKey = "test-sk" };
        await using var secured = await RocketMqEmulator.StartAsync(options);

        var good = await EmulatorFixture.RunScriptAsync(secured, "auth",
            new Dictionary<string, string> { ["ROCKETMQ_ACCESS_KEY"] = "test-ak", ["ROCKETMQ_SECRET_KEY"] = "test-sk" }, "signed-topic");
        var bad = await EmulatorFixture.RunScriptAsync(secured, "auth",
            new Dictionary<string, string> { ["ROCKETMQ_ACCESS_KEY"] = "test-ak", ["ROCKETMQ_SECRET_KEY"] = "wrong" }, "signed-topic");

        Assert.Equal(JsonValueKind.Null, good.GetProperty("error").ValueKind);
        Assert.False(string.IsNullOrEmpty(good.GetProperty("messageId").GetString()));
        Assert.Equal(40100, bad.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(1, secured.GetTopicStats().Single(t => t.Topic == "signed-topic").Stored);
    }
}
