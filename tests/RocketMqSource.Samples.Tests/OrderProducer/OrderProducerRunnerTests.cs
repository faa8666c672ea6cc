using FoodDelivery.OrderProducer;
using FoodDelivery.OrderProducer.Load;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.OrderProducer;

/// <summary>The runner over a recording sender, in real (short) time.</summary>
public sealed class OrderProducerRunnerTests
{
    private static ProducerOptions Options(double peakRate = 40, double seconds = 1.5, int? maxOrders = null, int concurrency = 16, double quietRate = 0) => new()
    {
        PeakRate = peakRate,
        QuietRate = quietRate,
        Duration = TimeSpan.FromSeconds(seconds),
        Seed = 99,
        MaxOrders = maxOrders,
        Concurrency = concurrency,
    };

    [Fact]
    public async Task A_run_sends_the_profile_s_orders_each_once_with_its_message_id_and_timestamps()
    {
        var options = Options();
        var sender = new RecordingSender();
        var expected = (long)Math.Floor(new MealTimeLoadProfile(options.PeakRate, options.Duration).TotalExpectedOrders);

        var result = await OrderProducerRunner.RunAsync(options, sender, null, CancellationToken.None);

        Assert.Equal(expected, result.Sent);
        Assert.Equal(0, result.Failed);
        Assert.Equal(expected, result.Orders.Count);
        Assert.Equal(result.Orders.Select(o => o.OrderId).Distinct().Count(), result.Orders.Count);
        Assert.Equal(sender.Sent.Select(m => m.OrderId).Order(), result.Orders.Select(o => o.OrderId).Order());
        Assert.All(result.Orders, o =>
        {
            Assert.Equal("MSG-" + o.OrderId, o.MessageId);
            Assert.True(o.AcknowledgedAt >= o.SendStartedAt);
            Assert.Contains(o.OrderStatus, new[] { "PAID", "CANCELLED" });
        });
        Assert.True(result.Elapsed >= options.Duration, $"the run ended after {result.Elapsed}, before the quiet end of the day");
    }

    [Fact]
    public async Task No_order_is_sent_before_the_profile_expects_it()
    {
        var options = Options(peakRate: 30, seconds: 2);
        var profile = new MealTimeLoadProfile(options.PeakRate, options.Duration);
        var before = DateTimeOffset.UtcNow;

        var result = await OrderProducerRunner.RunAsync(options, new RecordingSender(), null, CancellationToken.None);

        // The k-th order is due once the profile's integral reaches k; it may be late, never early.
        for (var k = 1; k <= result.Orders.Count; k++)
        {
            var due = FirstTimeReaching(profile, k);
            var sentAfter = result.Orders[k - 1].SendStartedAt - before;
            Assert.True(sentAfter >= due - TimeSpan.FromMilliseconds(15), $"order {k} went out at {sentAfter}, due at {due}");
        }

        // Nothing at all before breakfast begins.
        Assert.True(result.Orders[0].SendStartedAt - before >= options.Duration * (0.20 - MealTimeLoadProfile.MealHalfWidth) - TimeSpan.FromMilliseconds(15));
    }

    /// <summary>A quiet rate makes orders due from the first moment, so these runs need not wait for breakfast.</summary>
    [Fact]
    public async Task Max_orders_ends_the_run_early()
    {
        var result = await OrderProducerRunner.RunAsync(Options(seconds: 30, maxOrders: 5, quietRate: 100), new RecordingSender(), null, CancellationToken.None);

        Assert.Equal(5, result.Sent);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Failed_sends_are_counted_and_explained_and_the_run_goes_on()
    {
        var sender = new RecordingSender(fails: m => m.OrderId.EndsWith('3'));

        var result = await OrderProducerRunner.RunAsync(Options(seconds: 30, maxOrders: 20, quietRate: 200), sender, null, CancellationToken.None);

        Assert.Equal(2, result.Failed);
        Assert.Equal(18, result.Sent);
        Assert.All(result.Failures, f => Assert.Equal($"InvalidOperationException: proxy refused {f.OrderId}", f.Error));
        Assert.DoesNotContain(result.Orders, o => o.OrderId.EndsWith('3'));
    }

    [Fact]
    public async Task Sends_in_flight_never_exceed_the_concurrency()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new RecordingSender(beforeAnswer: _ => gate.Task);
        var run = OrderProducerRunner.RunAsync(Options(seconds: 30, maxOrders: 12, concurrency: 3, quietRate: 500), sender, null, CancellationToken.None);

        // The runner fills its three slots and then waits; let the sends finish once that is visible.
        await WaitUntilAsync(() => sender.MaxInFlight == 3);
        gate.SetResult();
        var result = await run;

        Assert.Equal(12, result.Sent);
        Assert.Equal(3, sender.MaxInFlight);
    }

    [Fact]
    public async Task Progress_comes_once_a_second_and_its_per_second_counts_add_up()
    {
        var reports = new List<ProducerProgress>();
        var progress = new SynchronousProgress(reports.Add);

        var result = await OrderProducerRunner.RunAsync(Options(peakRate: 40, seconds: 2.5), new RecordingSender(), progress, CancellationToken.None);

        Assert.True(reports.Count >= 2, $"{reports.Count} reports");
        for (var i = 0; i < reports.Count; i++)
        {
            Assert.True(reports[i].Elapsed >= TimeSpan.FromSeconds(i + 1));
        }

        Assert.Equal(reports[^1].Sent, reports.Sum(r => r.SentPerSecond));
        Assert.True(reports[^1].Sent <= result.Sent);
    }

    [Fact]
    public async Task Cancelling_stops_new_sends_and_still_returns_what_was_sent()
    {
        using var cancel = new CancellationTokenSource();
        var sender = new RecordingSender(beforeAnswer: m =>
        {
            if (m.OrderId.EndsWith("0000003", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }

            return Task.CompletedTask;
        });

        var result = await OrderProducerRunner.RunAsync(Options(seconds: 30, concurrency: 1, quietRate: 200), sender, null, cancel.Token);

        Assert.Equal(3, result.Sent);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(30));
    }

    private static TimeSpan FirstTimeReaching(MealTimeLoadProfile profile, double orders)
    {
        TimeSpan low = TimeSpan.Zero, high = profile.Duration;
        for (var i = 0; i < 60; i++)
        {
            var mid = (low + high) / 2;
            if (profile.ExpectedOrdersBy(mid) >= orders)
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        return high;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.WaitAsync(condition, "the producer's state", TimeSpan.FromSeconds(30));

    private sealed class SynchronousProgress(Action<ProducerProgress> report) : IProgress<ProducerProgress>
    {
        public void Report(ProducerProgress value) => report(value);
    }
}
