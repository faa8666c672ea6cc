using System.Net;
using FoodDelivery.LocalRun;
using FoodDelivery.LocalRun.Keda;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.LocalRun.Autoscaling;

/// <summary>
/// The backlog KEDA's emulation reads: the controller's shipped query, evaluated on the
/// Prometheus text the emulator's /metrics serves, over real HTTP/2.
/// </summary>
public sealed class BacklogQueryTests
{
    [Fact]
    public void The_backlog_is_ready_plus_in_flight_of_the_topic_and_group_only()
    {
        const string text = """
            # HELP rocketmq_consumer_ready_messages Messages of the topic the consumer group can receive now.
            # TYPE rocketmq_consumer_ready_messages gauge
            rocketmq_consumer_ready_messages{topic="orders",consumer_group="order-source"} 40
            rocketmq_consumer_ready_messages{topic="orders",consumer_group="other"} 1000
            rocketmq_consumer_ready_messages{topic="payments",consumer_group="order-source"} 1000
            rocketmq_consumer_inflight_messages{topic="orders",consumer_group="order-source"} 2 1733100000000
            rocketmq_consumer_lag_messages{topic="orders",consumer_group="order-source"} 42
            """;

        Assert.Equal(42, BacklogQuery.Evaluate(text, "orders", "order-source"));
        Assert.True(BacklogQuery.Knows(text, "orders", "order-source"));
        Assert.False(BacklogQuery.Knows(text, "orders", "nobody"));
    }

    [Fact]
    public void A_missing_series_counts_as_zero_as_the_querys_or_vector_0_does()
    {
        Assert.Equal(0, BacklogQuery.Evaluate("# nothing exported yet\n", "orders", "order-source"));
    }

    [Fact]
    public void Label_values_are_unescaped()
    {
        var sample = PrometheusText.Samples("m{a=\"x\\\"y\\\\z\\nw\",b=\"\"} 1.5e1\n").Single();

        Assert.Equal("m", sample.Name);
        Assert.Equal("x\"y\\z\nw", sample.Labels["a"]);
        Assert.Equal(string.Empty, sample.Labels["b"]);
        Assert.Equal(15, sample.Value);
    }

    [Fact]
    public void It_reads_the_two_series_the_controllers_shipped_query_sums()
    {
        var config = Manifest.LoadFile(RepoPaths.Combine("config", "401-config-rocketmq-autoscaler.yaml")).Single();
        var query = (string)config.Document["data"]!["backlog-query"]!;

        Assert.Contains($"sum({BacklogQuery.ReadyMessages}{{topic=\"{{{{topic}}}}\",consumer_group=\"{{{{consumerGroup}}}}\"}}) or vector(0)", query, StringComparison.Ordinal);
        Assert.Contains($"sum({BacklogQuery.InflightMessages}{{topic=\"{{{{topic}}}}\",consumer_group=\"{{{{consumerGroup}}}}\"}}) or vector(0)", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_emulators_metrics_give_the_backlog_of_a_group_once_it_has_subscribed()
    {
        await using var emulator = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0" });
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var metrics = new Uri($"http://{emulator.Endpoint}/metrics");
        emulator.Send([.. Enumerable.Range(0, 7).Select(i => new Message.Builder().SetTopic("orders").SetTag("PAID").SetBody([(byte)i]).Build())]);
        Assert.False(BacklogQuery.Knows(await http.GetStringAsync(metrics), "orders", "order-source"));

        await using var consumer = await SimpleConsumerFor(emulator);
        var received = await consumer.ReceiveAsync(3, TimeSpan.FromSeconds(30));

        var text = await http.GetStringAsync(metrics);
        Assert.True(BacklogQuery.Knows(text, "orders", "order-source"));
        Assert.Equal(3, received.Count);
        Assert.Equal(7, BacklogQuery.Evaluate(text, "orders", "order-source"));
    }

    private static async Task<SimpleConsumer> SimpleConsumerFor(RocketMqEmulator emulator)
    {
        var config = new ClientConfig.Builder().SetEndpoints(emulator.Endpoint).EnableSsl(false).Build();
        var consumer = new SimpleConsumer.Builder()
            .SetClientConfig(config)
            .SetConsumerGroup("order-source")
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["orders"] = new("PAID") })
            .SetAwaitDuration(TimeSpan.FromSeconds(5));
        return await consumer.BuildAsync();
    }
}
