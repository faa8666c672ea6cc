using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RocketMqSource.Adapter.Tests.Properties;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;
using WireMock;
using WireMock.ResponseBuilders;
using Xunit.Abstractions;

namespace RocketMqSource.Adapter.Tests.Reliability;

/// <summary>
/// The adapter executable as a child process (configured by environment only) against an
/// in-process emulator and WireMock sinks, under failures. The kill, stop and outage runs send the
/// generator's mix (plain JSON, text, binary and invalid UTF-8 bodies, odd properties, valid and
/// invalid CloudEvents in every binding shape: <see cref="ProducedMessages"/>) and check issue 21's
/// invariant: every message ended as docs/adapter.md says — its event at the sink (that page's mapping, read
/// with the C# SDK) or, when it cannot be sent, its plain mapping at the dead-letter sink — with
/// duplicates allowed (at-least-once) and reported.
/// </summary>
[Collection(nameof(ProcessReliabilityTests))]
public class ProcessReliabilityTests(ITestOutputHelper output)
{
    private const string Topic = "orders";
    private const string Group = "order-adapter";

    private static Dictionary<string, string> Environment(EmulatedRocketMq rocketMq, Uri sink, params (string Name, string Value)[] more)
    {
        var env = new Dictionary<string, string>
        {
            ["K_SINK"] = sink.AbsoluteUri,
            ["ROCKETMQ_ENDPOINTS"] = rocketMq.Endpoint,
            ["ROCKETMQ_TOPIC"] = Topic,
            ["ROCKETMQ_CONSUMER_GROUP"] = Group,
            ["ROCKETMQ_AWAIT_DURATION"] = "5s",
            ["ROCKETMQ_INVISIBLE_DURATION"] = "10s",
            ["NAMESPACE"] = "shop",
            ["NAME"] = "orders-source",
        };
        foreach (var (name, value) in more)
        {
            env[name] = value;
        }

        return env;
    }

    private static int OrderNumber(IRequestMessage request) => JsonDocument.Parse(request.BodyAsBytes!).RootElement.GetProperty("order").GetInt32();

    /// <summary>Sends a sample of the generator's mix with our C# producer; returns the messages and their ids.</summary>
    private static async Task<(List<ProducedMessage> Messages, string[] Ids)> SendMixAsync(EmulatedRocketMq rocketMq, int count)
    {
        var messages = ProducedMessages.Mix(count);
        return (messages, await rocketMq.SendManyAsync(count, i => messages[i].ToMessage(Topic)));
    }

    private async Task SettledAsync(EmulatedRocketMq rocketMq, Func<bool> delivered, AdapterProcess adapter, string what)
    {
        try
        {
            await Eventually.WaitAsync(() => delivered() && rocketMq.Stats(Group, Topic) is { Backlog: 0, InFlight: 0 }, what, TimeSpan.FromSeconds(40));
        }
        catch (TimeoutException)
        {
            output.WriteLine($"emulator: {rocketMq.Stats(Group, Topic)}\nadapter log:\n{adapter.Log}");
            throw;
        }
    }

    private void Report(string scenario, DeliveryLedger ledger, int produced) =>
        output.WriteLine($"{scenario}: produced {produced}, accepted {ledger.Accepted}, dead-lettered {ledger.DeadLettered}, duplicates {ledger.Duplicates}");

    [Fact]
    public async Task Killed_with_sigkill_mid_stream_and_restarted_every_message_of_the_mix_still_ends()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        using var sink = SinkDouble.Answering(202);
        using var deadLetters = SinkDouble.Answering(202);
        var (messages, ids) = await SendMixAsync(rocketMq, 1500);
        var env = Environment(rocketMq, sink.Uri, ("K_DEAD_LETTER_SINK", deadLetters.Uri.AbsoluteUri));

        await using (var first = await AdapterProcess.StartAsync(env))
        {
            await Eventually.WaitAsync(() => sink.Server.LogEntries.Count() + deadLetters.Server.LogEntries.Count() >= 300, "300 deliveries before the kill");
            await first.KillAsync();
        }

        var atKill = rocketMq.Stats(Group, Topic);
        output.WriteLine($"at SIGKILL: {sink.Server.LogEntries.Count()} at the sink, emulator {atKill}");
        Assert.True(atKill.Backlog + atKill.InFlight > 0, "the kill should interrupt the stream");

        await using var second = await AdapterProcess.StartAsync(env);
        await SettledAsync(rocketMq, () => rocketMq.Stats(Group, Topic).Acked >= ids.Length, second, "every message ended after the restart");

        output.WriteLine(DocumentedMapping.AssertEveryMessageEnded(messages, ids, sink.Requests, deadLetters.Requests));
    }

    [Fact]
    public async Task Stopped_with_sigterm_mid_stream_and_restarted_every_message_of_the_mix_still_ends()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        using var sink = SinkDouble.Answering(202);
        using var deadLetters = SinkDouble.Answering(202);
        var (messages, ids) = await SendMixAsync(rocketMq, 1000);
        var env = Environment(rocketMq, sink.Uri, ("K_DEAD_LETTER_SINK", deadLetters.Uri.AbsoluteUri), ("SHUTDOWN_GRACE_PERIOD", "5s"));

        await using (var first = await AdapterProcess.StartAsync(env))
        {
            await Eventually.WaitAsync(() => sink.Server.LogEntries.Count() >= 200, "200 deliveries before SIGTERM");
            using (var term = Process.Start("kill", ["-TERM", first.ProcessId.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        output.WriteLine($"after SIGTERM: {sink.Server.LogEntries.Count()} at the sink, emulator {rocketMq.Stats(Group, Topic)}");
        await using var second = await AdapterProcess.StartAsync(env);
        await SettledAsync(rocketMq, () => rocketMq.Stats(Group, Topic).Acked >= ids.Length, second, "every message ended after the restart");

        output.WriteLine(DocumentedMapping.AssertEveryMessageEnded(messages, ids, sink.Requests, deadLetters.Requests));
    }

    [Fact]
    public async Task A_sink_failing_30_percent_of_requests_with_5xx_loses_nothing()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        var ledger = new DeliveryLedger();
        var requests = 0;
        var failures = 0;
        var random = new Random(30);
        using var sink = SinkDouble.Start();
        sink.Server.Given(SinkDouble.Posts()).RespondWith(Response.Create().WithCallback(request =>
        {
            // Deterministic pseudo-random (seeded): 30 % of the requests fail, in a fixed pattern.
            int n, roll;
            lock (random)
            {
                n = ++requests;
                roll = random.Next(100);
            }

            if (roll < 30)
            {
                Interlocked.Increment(ref failures);
                return new ResponseMessage { StatusCode = n % 2 == 0 ? 500 : 503 };
            }

            ledger.Accept(request.Headers!["ce-id"][0]);
            return new ResponseMessage { StatusCode = 202 };
        }));
        var ids = await rocketMq.SendManyAsync(1000, i => EmulatedRocketMq.Order(Topic, i));

        await using var adapter = await AdapterProcess.StartAsync(Environment(rocketMq, sink.Uri, ("K_BACKOFF_DELAY", "20ms")));
        await SettledAsync(rocketMq, () => ledger.Accepted == ids.Length, adapter, "every message delivered despite failures");

        Assert.Empty(ledger.Missing(ids));
        output.WriteLine($"sink answered {requests} requests, {failures} of them with 5xx");
        Report("30 % 5xx", ledger, ids.Length);
    }

    [Fact]
    public async Task When_both_sinks_are_down_for_a_while_every_message_of_the_mix_is_handed_back_then_ends()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        // Down: every connection is reset as it arrives, at both sinks.
        using var sink = SinkDouble.Answering(202);
        using var deadLetters = SinkDouble.Answering(202);
        sink.Fail(_ => SinkFault.Reset);
        deadLetters.Fail(_ => SinkFault.Reset);
        var (messages, ids) = await SendMixAsync(rocketMq, 200);

        await using var adapter = await AdapterProcess.StartAsync(Environment(rocketMq, sink.Uri,
            ("K_DEAD_LETTER_SINK", deadLetters.Uri.AbsoluteUri), ("K_RETRY", "1"), ("K_BACKOFF_DELAY", "50ms")));
        // Down long enough that every message was handed back to RocketMQ and came back at least once.
        await Eventually.WaitAsync(() => adapter.MetricAsync("messaging_client_consumed_messages_total").Result >= 2 * ids.Length,
            "every message received twice while the sinks are down", TimeSpan.FromSeconds(40));
        var handedBack = await adapter.MetricAsync("rocketmqsource_messages_ended_total", "end=\"handed_back\"");
        Assert.True(handedBack >= ids.Length, $"handed back {handedBack}");
        Assert.Equal(0, await adapter.MetricAsync("rocketmqsource_messages_ended_total", "end=\"abandoned\""));

        sink.Fail(null);
        deadLetters.Fail(null);
        await SettledAsync(rocketMq, () => rocketMq.Stats(Group, Topic).Acked >= ids.Length, adapter, "every message ended once the sinks are back");

        output.WriteLine(DocumentedMapping.AssertEveryMessageEnded(messages, ids, sink.Requests, deadLetters.Requests));
        output.WriteLine($"handed back {handedBack} times while down");
    }

    [Fact]
    public async Task Poison_messages_go_to_the_dead_letter_sink_and_the_rest_to_the_sink()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        var ledger = new DeliveryLedger();
        using var sink = PoisonRejectingSink(ledger);
        using var deadLetters = SinkDouble.Start();
        deadLetters.Server.Given(SinkDouble.Posts()).RespondWith(Response.Create().WithCallback(request =>
        {
            ledger.DeadLetter(request.Headers!["ce-id"][0]);
            return new ResponseMessage { StatusCode = 202 };
        }));
        var ids = await rocketMq.SendManyAsync(500, i => EmulatedRocketMq.Order(Topic, i));
        var poison = ids.Where((_, i) => i % 25 == 0).ToHashSet();

        await using var adapter = await AdapterProcess.StartAsync(Environment(rocketMq, sink.Uri, ("K_DEAD_LETTER_SINK", deadLetters.Uri.AbsoluteUri)));
        await SettledAsync(rocketMq, () => ledger.Accepted + ledger.DeadLettered == ids.Length, adapter, "every message delivered or dead-lettered");

        Assert.Empty(ledger.Missing(ids));
        Assert.Equal(poison, ledger.DeadLetteredIds.ToHashSet());
        Assert.All(deadLetters.Requests, r => Assert.Equal("400", r.Header("ce-knativeerrorcode")));
        Report("poison with dead-letter sink", ledger, ids.Length);
    }

    [Fact]
    public async Task Poison_messages_without_a_dead_letter_sink_end_in_the_groups_dlq()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync(options => options.MaxDeliveryAttempts = 3);
        var ledger = new DeliveryLedger();
        using var sink = PoisonRejectingSink(ledger);
        var ids = await rocketMq.SendManyAsync(500, i => EmulatedRocketMq.Order(Topic, i));
        var poison = ids.Where((_, i) => i % 25 == 0).ToHashSet();

        await using var adapter = await AdapterProcess.StartAsync(Environment(rocketMq, sink.Uri));
        await SettledAsync(rocketMq, () => ledger.Accepted == ids.Length - poison.Count && rocketMq.Stored("%DLQ%" + Group) == poison.Count,
            adapter, "the rest delivered and the poison in %DLQ%");

        var inDlq = await DeadLetterQueueReader.ReadIdsAsync(rocketMq, Group, poison.Count);
        Assert.Equal(poison, inDlq);
        Assert.Empty(ledger.Missing(ids, inDlq));
        Report("poison without dead-letter sink (to %DLQ%)", ledger, ids.Length);
    }

    /// <summary>Answers 400 "poison" to every 25th order, 202 (counted) to the rest.</summary>
    private static SinkDouble PoisonRejectingSink(DeliveryLedger ledger)
    {
        var sink = SinkDouble.Start();
        sink.Server.Given(SinkDouble.Posts()).RespondWith(Response.Create().WithCallback(request =>
        {
            if (OrderNumber(request) % 25 == 0)
            {
                return new ResponseMessage { StatusCode = 400, BodyData = new WireMock.Util.BodyData { BodyAsString = "poison", DetectedBodyType = WireMock.Types.BodyType.String } };
            }

            ledger.Accept(request.Headers!["ce-id"][0]);
            return new ResponseMessage { StatusCode = 202 };
        }));
        return sink;
    }
}
