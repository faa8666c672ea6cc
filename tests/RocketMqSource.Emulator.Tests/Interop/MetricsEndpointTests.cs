using System.Net;
using System.Text.Json;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.Testing;
using static RocketMqSource.Emulator.Tests.Interop.ShippedQueries;

namespace RocketMqSource.Emulator.Tests.Interop;

/// <summary>
/// GET /metrics speaks the Prometheus text format a RocketMQ 5 broker exports, read by the npm
/// parser parse-prometheus-text-format (which rejects malformed lines), and the queries the
/// controller ships for KEDA (config/401-config-rocketmq-autoscaler.yaml) read it right.
/// </summary>
public sealed class MetricsEndpointTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Topic = "metrics-orders";
    private const string Group = "metrics-dispatch";

    /// <summary>The window the controller writes for the default 10 s polling interval (2 x 10 s + 60 s).</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(80);

    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromMinutes(1);

    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Ready_in_flight_and_lag_gauges_count_what_the_group_has_not_acked()
    {
        fixture.Emulator.Send([.. Enumerable.Range(0, 5).Select(i => new Message.Builder().SetTopic(Topic).SetBody([(byte)i]).Build())]);
        await using var consumer = await ConsumerAsync(fixture.Emulator, Topic, Group);
        var received = await consumer.ReceiveAsync(2, TimeSpan.FromSeconds(60));
        Assert.Equal(2, received.Count);

        var families = await ScrapeAsync(fixture.Emulator);

        Assert.Equal(3, Value(families, "rocketmq_consumer_ready_messages", Topic, Group));
        Assert.Equal(2, Value(families, "rocketmq_consumer_inflight_messages", Topic, Group));
        Assert.Equal(5, Value(families, "rocketmq_consumer_lag_messages", Topic, Group));
        Assert.Equal(5, Samples(families, "rocketmq_messages_in_total").Single(s => s.Labels["topic"] == Topic && s.Labels["message_type"] == "normal" && s.Labels["is_system"] == "false").Value);
        Assert.All(families.EnumerateArray(), f => Assert.Equal(f.GetProperty("name").GetString()!.EndsWith("_total", StringComparison.Ordinal) ? "COUNTER" : "GAUGE", f.GetProperty("type").GetString()));
        Assert.Equal(5, Backlog(families, Topic, Group));

        await consumer.AckAsync(received[0]);
        Assert.Equal(4, Backlog(await ScrapeAsync(fixture.Emulator), Topic, Group));
    }

    /// <summary>
    /// The broker forgets an idle POP group's backlog 10 minutes after its last receive; the wake
    /// query, on ingress counters, still sees new messages then: sent ones at once, delayed ones
    /// when they come due (counted under the timer topic until then, as the broker does).
    /// </summary>
    [Fact]
    public async Task After_ten_idle_minutes_the_backlog_reads_0_while_the_wake_query_sees_each_new_message()
    {
        const string topic = "idle-orders";
        const string group = "idle-dispatch";
        var clock = new ManualClock();
        await using var emulator = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0", MinLongPollingTimeout = TimeSpan.FromSeconds(1), TimeProvider = clock });
        var history = new List<Scrape>();

        // As Prometheus does, at least once a minute: the queries read the latest scrape within 5 minutes.
        async Task<JsonElement> ScrapeAfter(TimeSpan elapsed)
        {
            JsonElement families;
            do
            {
                var step = elapsed < ScrapeInterval ? elapsed : ScrapeInterval;
                clock.Advance(step);
                elapsed -= step;
                families = await ScrapeAsync(emulator);
                history.Add(new Scrape(clock.GetUtcNow(), families));
            }
            while (elapsed > TimeSpan.Zero);
            return families;
        }

        double WakeNow() => Wake(history, clock.GetUtcNow(), topic, Window);
        emulator.Send([.. Enumerable.Range(0, 3).Select(i => new Message.Builder().SetTopic(topic).SetBody([(byte)i]).Build())]);
        await using (var consumer = await ConsumerAsync(emulator, topic, group))
        {
            foreach (var message in await consumer.ReceiveAsync(3, TimeSpan.FromSeconds(60)))
            {
                await consumer.AckAsync(message);
            }
        }

        // Known, drained. The first scrape shows the counter's series for the first time: all of it is new.
        var drained = await ScrapeAfter(TimeSpan.Zero);
        Assert.Equal(0, Value(drained, "rocketmq_consumer_ready_messages", topic, group));
        Assert.Equal(0, Backlog(drained, topic, group));
        Assert.Equal(1, WakeNow());
        await ScrapeAfter(Window);
        Assert.Equal(0, WakeNow());

        // Remembered up to the timeout after the last receive, forgotten past it.
        Assert.Single(Samples(await ScrapeAfter(TimeSpan.FromMinutes(10) - Window), "rocketmq_consumer_ready_messages"), s => s.Labels["consumer_group"] == group);
        var forgotten = await ScrapeAfter(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(forgotten.EnumerateArray().Where(f => f.GetProperty("name").GetString()!.StartsWith("rocketmq_consumer_", StringComparison.Ordinal))
            .SelectMany(f => f.GetProperty("metrics").EnumerateArray()), m => m.GetProperty("labels").GetProperty("consumer_group").GetString() == group);
        Assert.Equal(0, WakeNow());

        // A new message: the group is still forgotten (a send subscribes nobody), so only the wake query sees it, for one window.
        emulator.Send([new Message.Builder().SetTopic(topic).SetBody([9]).Build()]);
        var sent = await ScrapeAfter(TimeSpan.FromSeconds(5));
        Assert.Equal(0, Backlog(sent, topic, group));
        Assert.Equal(1, WakeNow());
        await ScrapeAfter(Window - TimeSpan.FromSeconds(1));
        Assert.Equal(1, WakeNow());
        await ScrapeAfter(TimeSpan.FromSeconds(1));
        Assert.Equal(0, WakeNow());

        // A delayed message waits in the timer topic: the wake query sees it when it comes due.
        emulator.Send([new Message.Builder().SetTopic(topic).SetBody([10]).SetDeliveryTimestamp((clock.GetUtcNow() + TimeSpan.FromMinutes(3)).UtcDateTime).Build()]);
        var waiting = await ScrapeAfter(TimeSpan.FromMinutes(1));
        Assert.Equal(1, Samples(waiting, "rocketmq_messages_in_total").Single(s => s.Labels["topic"] == "rmq_sys_wheel_timer").Value);
        Assert.Equal("delay", Samples(waiting, "rocketmq_messages_in_total").Single(s => s.Labels["topic"] == "rmq_sys_wheel_timer").Labels["message_type"]);
        Assert.Equal(0, WakeNow());
        var due = await ScrapeAfter(TimeSpan.FromMinutes(2));
        Assert.Equal(1, Samples(due, "rocketmq_timer_dequeue_total").Single(s => s.Labels["topic"] == topic).Value);
        Assert.Equal(0, Backlog(due, topic, group));
        Assert.Equal(1, WakeNow());
    }

    private static async Task<SimpleConsumer> ConsumerAsync(RocketMqEmulator emulator, string topic, string group) =>
        await new SimpleConsumer.Builder()
            .SetClientConfig(new ClientConfig.Builder().SetEndpoints(emulator.Endpoint).EnableSsl(false).Build())
            .SetConsumerGroup(group)
            .SetAwaitDuration(TimeSpan.FromSeconds(1))
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { [topic] = FilterExpression.SubAll })
            .BuildAsync();

    private static async Task<JsonElement> ScrapeAsync(RocketMqEmulator emulator)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{emulator.Endpoint}/metrics")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await Http.SendAsync(request);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var parsed = (await NodePeer.RunAsync("prometheus-parse.mjs", standardInput: text)).EnsureSuccess();
        return JsonDocument.Parse(parsed.StandardOutput).RootElement.Clone();
    }

    private static double Value(JsonElement families, string name, string topic, string group) =>
        Samples(families, name).Where(s => s.Labels.GetValueOrDefault("topic") == topic && s.Labels.GetValueOrDefault("consumer_group") == group)
            .Select(s => s.Value).Single();
}
