using System.Globalization;
using System.Text;
using System.Text.Json;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.Testing;
using Xunit.Abstractions;

namespace RocketMqSource.Adapter.Tests.Reliability;

/// <summary>
/// The adapter executable as a child process (configured by environment only) against an
/// in-process emulator and loopback sinks, under failures. Each test proves zero loss: every
/// produced message id reached the sink, the dead-letter sink or %DLQ%; duplicates are allowed
/// (at-least-once) and reported.
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

    private static int OrderNumber(SinkRequest request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("order").GetInt32();

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
    public async Task Killed_with_sigkill_mid_stream_and_restarted_every_message_still_reaches_the_sink()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        var ledger = new DeliveryLedger();
        await using var sink = await LoopbackSink.StartAsync(async request =>
        {
            await Task.Delay(2);
            ledger.Accept(request.EventId!);
            return SinkReply.Accepted;
        });
        var ids = await rocketMq.SendManyAsync(3000, i => EmulatedRocketMq.Order(Topic, i));
        var env = Environment(rocketMq, sink.Uri);

        await using (var first = await AdapterProcess.StartAsync(env))
        {
            await Eventually.WaitAsync(() => ledger.Accepted >= 600, "600 deliveries before the kill");
            await first.KillAsync();
        }

        var atKill = rocketMq.Stats(Group, Topic);
        output.WriteLine($"at SIGKILL: {ledger.Accepted} accepted, emulator {atKill}");
        Assert.True(atKill.Backlog + atKill.InFlight > 0, "the kill should interrupt the stream");

        await using var second = await AdapterProcess.StartAsync(env);
        await SettledAsync(rocketMq, () => ledger.Accepted == ids.Length, second, "every message delivered after the restart");

        Assert.Empty(ledger.Missing(ids));
        Report("SIGKILL + restart", ledger, ids.Length);
    }

    [Fact]
    public async Task A_sink_failing_30_percent_of_requests_with_5xx_loses_nothing()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        var ledger = new DeliveryLedger();
        var requests = 0;
        var failures = 0;
        var random = new Random(30);
        await using var sink = await LoopbackSink.StartAsync(request =>
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
                return Task.FromResult(new SinkReply(n % 2 == 0 ? 500 : 503));
            }

            ledger.Accept(request.EventId!);
            return Task.FromResult(SinkReply.Accepted);
        });
        var ids = await rocketMq.SendManyAsync(1000, i => EmulatedRocketMq.Order(Topic, i));

        await using var adapter = await AdapterProcess.StartAsync(Environment(rocketMq, sink.Uri, ("K_BACKOFF_DELAY", "20ms")));
        await SettledAsync(rocketMq, () => ledger.Accepted == ids.Length, adapter, "every message delivered despite failures");

        Assert.Empty(ledger.Missing(ids));
        output.WriteLine($"sink answered {requests} requests, {failures} of them with 5xx");
        Report("30 % 5xx", ledger, ids.Length);
    }

    [Fact]
    public async Task A_sink_that_is_down_for_a_while_then_returns_gets_every_message()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        var ledger = new DeliveryLedger();
        var port = LoopbackPort.GetFree();
        var sinkUri = new Uri($"http://127.0.0.1:{port}/events");
        var ids = await rocketMq.SendManyAsync(200, i => EmulatedRocketMq.Order(Topic, i));

        await using var adapter = await AdapterProcess.StartAsync(Environment(rocketMq, sinkUri, ("K_RETRY", "2"), ("K_BACKOFF_DELAY", "50ms")));
        // Down long enough that every message was handed back to RocketMQ and came back at least once.
        await Eventually.WaitAsync(() => adapter.MetricAsync("messaging_client_consumed_messages_total").Result >= 2 * ids.Length,
            "every message received twice while the sink is down", TimeSpan.FromSeconds(30));
        var handedBack = await adapter.MetricAsync("rocketmqsource_messages_handed_back_total", "error_type=\"no_response\"");
        Assert.True(handedBack >= ids.Length, $"handed back {handedBack}");

        await using var sink = await LoopbackSink.StartAsync(request =>
        {
            ledger.Accept(request.EventId!);
            return Task.FromResult(SinkReply.Accepted);
        }, port: port);
        await SettledAsync(rocketMq, () => ledger.Accepted == ids.Length, adapter, "every message delivered once the sink is back");

        Assert.Empty(ledger.Missing(ids));
        Report($"sink down (handed back {handedBack})", ledger, ids.Length);
    }

    [Fact]
    public async Task Poison_messages_go_to_the_dead_letter_sink_and_the_rest_to_the_sink()
    {
        await using var rocketMq = await EmulatedRocketMq.StartAsync();
        var ledger = new DeliveryLedger();
        await using var sink = await LoopbackSink.StartAsync(request =>
        {
            if (OrderNumber(request) % 25 == 0)
            {
                return Task.FromResult(new SinkReply(400, "poison"));
            }

            ledger.Accept(request.EventId!);
            return Task.FromResult(SinkReply.Accepted);
        });
        await using var deadLetters = await LoopbackSink.StartAsync(request =>
        {
            ledger.DeadLetter(request.EventId!);
            return Task.FromResult(SinkReply.Accepted);
        });
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
        await using var sink = await LoopbackSink.StartAsync(request =>
        {
            if (OrderNumber(request) % 25 == 0)
            {
                return Task.FromResult(new SinkReply(400, "poison"));
            }

            ledger.Accept(request.EventId!);
            return Task.FromResult(SinkReply.Accepted);
        });
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
}
