using System.Net;
using FoodDelivery.LocalRun.Keda;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.LocalRun.Autoscaling;

/// <summary>
/// KEDA's 0 ↔ 1 against kedacore/keda pkg/scaling/executor/scale_scaledobjects_test.go (the
/// first three cases) and the cooldown rule of scale_scaledobjects.go scaleToZeroOrIdle, and
/// the prometheus trigger's activation (pkg/scalers/prometheus_scaler.go).
/// </summary>
public sealed class KedaScaleExecutorTests
{
    private static readonly ScaledObjectSettings Sample = ScaledObjectSettings.ForOrderSource();

    [Fact]
    public void An_inactive_trigger_scales_ten_replicas_to_min_zero_when_it_was_never_active() // TestScaleToMinReplicasWhenNotActive
    {
        var clock = new ManualClock();
        var status = new ScaledObjectStatus(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(1));

        var decision = KedaScaleExecutor.RequestScale(Sample, status, currentReplicas: 10, isActive: false, clock.GetUtcNow());

        Assert.Equal(0, decision.ScaleTo);
        Assert.Null(decision.Status.LastActiveTime);
    }

    [Fact]
    public void An_inactive_trigger_brings_a_target_below_min_replicas_up_to_it() // TestScaleToMinReplicasFromLowerInitialReplicaCount
    {
        var clock = new ManualClock();

        var decision = KedaScaleExecutor.RequestScale(Sample with { MinReplicaCount = 5 }, new ScaledObjectStatus(clock.GetUtcNow()), 1, false, clock.GetUtcNow());

        Assert.Equal(5, decision.ScaleTo);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 2)]
    public void An_active_trigger_takes_a_target_at_zero_to_max_of_min_replicas_and_one(int minReplicas, int scaledTo) // TestScaleFromMinReplicasWhenActive
    {
        var clock = new ManualClock();

        var decision = KedaScaleExecutor.RequestScale(Sample with { MinReplicaCount = minReplicas }, new ScaledObjectStatus(clock.GetUtcNow()), 0, true, clock.GetUtcNow());

        Assert.Equal(scaledTo, decision.ScaleTo);
        Assert.Equal(clock.GetUtcNow(), decision.Status.LastActiveTime);
    }

    [Fact]
    public void Above_zero_an_active_trigger_leaves_the_replicas_to_the_hpa_and_refreshes_last_active_time()
    {
        var clock = new ManualClock();
        var status = new ScaledObjectStatus(clock.GetUtcNow(), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(10));

        var decision = KedaScaleExecutor.RequestScale(Sample, status, 3, true, clock.GetUtcNow());

        Assert.Null(decision.ScaleTo);
        Assert.Equal(clock.GetUtcNow(), decision.Status.LastActiveTime);
    }

    [Fact]
    public void After_being_active_it_scales_to_zero_from_any_count_only_once_the_cooldown_has_passed()
    {
        var clock = new ManualClock();
        var status = KedaScaleExecutor.RequestScale(Sample, new ScaledObjectStatus(clock.GetUtcNow()), 3, true, clock.GetUtcNow()).Status;

        clock.Advance(Sample.CooldownPeriod);
        Assert.Null(KedaScaleExecutor.RequestScale(Sample, status, 3, false, clock.GetUtcNow()).ScaleTo);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, KedaScaleExecutor.RequestScale(Sample, status, 3, false, clock.GetUtcNow()).ScaleTo);
    }

    [Fact]
    public void At_zero_an_inactive_trigger_changes_nothing()
    {
        var clock = new ManualClock();

        var decision = KedaScaleExecutor.RequestScale(Sample, new ScaledObjectStatus(clock.GetUtcNow() - TimeSpan.FromHours(1)), 0, false, clock.GetUtcNow());

        Assert.Null(decision.ScaleTo);
    }

    [Theory]
    [InlineData(0, 0, 0, false)]
    [InlineData(0, 1, 0, true)]
    [InlineData(50, 50, 0, false)]
    [InlineData(50, 51, 0, true)]
    [InlineData(50, 50, 1, true)]
    [InlineData(0, 0, 1, true)]
    public void It_is_active_when_the_backlog_exceeds_its_activation_threshold_or_the_wake_query_exceeds_0(double activationThreshold, double backlog, double wake, bool active)
    {
        Assert.Equal(active, KedaScaleExecutor.IsActive(backlog, wake, Sample with { ActivationThreshold = activationThreshold }));
    }

    /// <summary>
    /// The regression: a source at zero whose group the broker forgot (10 idle minutes after its
    /// last receive) reads backlog 0 when orders arrive; the wake trigger takes it to one replica.
    /// Against the emulator's /metrics over HTTP/2, polled as KEDA would, on a manual clock.
    /// </summary>
    [Fact]
    public async Task A_new_message_for_a_forgotten_group_takes_the_source_from_zero_to_one()
    {
        var clock = new ManualClock();
        await using var emulator = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0", MinLongPollingTimeout = TimeSpan.FromSeconds(1), TimeProvider = clock });
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var metrics = new Uri($"http://{emulator.Endpoint}/metrics");
        var scrapes = new ScrapeHistory(Sample.WakeWindow);
        var status = new ScaledObjectStatus(clock.GetUtcNow());
        var replicas = 0;
        async Task<(double Backlog, double Wake)> PollAsync()
        {
            var text = await http.GetStringAsync(metrics);
            scrapes.Add(clock.GetUtcNow(), text);
            var read = (BacklogQuery.Evaluate(text, "orders", "order-source"), WakeQuery.Evaluate(scrapes, clock.GetUtcNow(), "orders"));
            var decision = KedaScaleExecutor.RequestScale(Sample, status, replicas, KedaScaleExecutor.IsActive(read.Item1, read.Item2, Sample), clock.GetUtcNow());
            status = decision.Status;
            replicas = decision.ScaleTo ?? replicas;
            return read;
        }

        emulator.Send([new Message.Builder().SetTopic("orders").SetBody([1]).Build()]);
        await using (var consumer = await new SimpleConsumer.Builder()
            .SetClientConfig(new ClientConfig.Builder().SetEndpoints(emulator.Endpoint).EnableSsl(false).Build())
            .SetConsumerGroup("order-source")
            .SetAwaitDuration(TimeSpan.FromSeconds(1))
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { ["orders"] = FilterExpression.SubAll })
            .BuildAsync())
        {
            await consumer.AckAsync(Assert.Single(await consumer.ReceiveAsync(1, TimeSpan.FromSeconds(60))));
        }

        // Idle past the broker's 10 minutes: KEDA polls every 10 s and stays at zero.
        for (var elapsed = TimeSpan.Zero; elapsed <= TimeSpan.FromMinutes(10) + Sample.PollingInterval; elapsed += Sample.PollingInterval)
        {
            await PollAsync();
            clock.Advance(Sample.PollingInterval);
        }

        Assert.False(BacklogQuery.Knows(await http.GetStringAsync(metrics), "orders", "order-source"));
        Assert.Equal((0, 0), await PollAsync());
        Assert.Equal(0, replicas);

        emulator.Send([new Message.Builder().SetTopic("orders").SetBody([2]).Build()]);
        clock.Advance(Sample.PollingInterval);

        Assert.Equal((0, 1), await PollAsync());
        Assert.Equal(1, replicas);
    }
}
