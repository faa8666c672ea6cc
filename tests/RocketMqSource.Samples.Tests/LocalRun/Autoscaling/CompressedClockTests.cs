using FoodDelivery.LocalRun;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.LocalRun.Autoscaling;

/// <summary>The compressed clock: cluster time runs the factor faster, and its timers fire after a factor less real time.</summary>
public sealed class CompressedClockTests
{
    [Fact]
    public void Cluster_time_runs_the_factor_faster_than_the_machines()
    {
        var real = new ManualClock();
        var cluster = new CompressedClock(10, real);
        var start = cluster.GetUtcNow();
        var startStamp = cluster.GetTimestamp();

        real.Advance(TimeSpan.FromSeconds(1.5));

        Assert.Equal(TimeSpan.FromSeconds(15), cluster.GetUtcNow() - start);
        Assert.Equal(TimeSpan.FromSeconds(15), cluster.GetElapsedTime(startStamp));
        Assert.Equal(TimeSpan.FromSeconds(6), cluster.ToReal(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_stable_window_of_60_cluster_seconds_passes_in_6_real_seconds_at_factor_10()
    {
        var real = new ManualClock { ControlsTimers = true };
        var cluster = new CompressedClock(10, real);

        var window = Task.Delay(TimeSpan.FromSeconds(60), cluster);
        real.Advance(TimeSpan.FromSeconds(5.9));
        Assert.False(window.IsCompleted);

        real.Advance(TimeSpan.FromSeconds(0.1));
        await window.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_periodic_tick_of_2_cluster_seconds_comes_every_fifth_of_a_real_second()
    {
        var real = new ManualClock { ControlsTimers = true };
        var cluster = new CompressedClock(10, real);
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(2), cluster);

        for (var i = 0; i < 3; i++)
        {
            var tick = ticks.WaitForNextTickAsync().AsTask();
            await Eventually.WaitAsync(() => real.PendingTimers > 0, "the tick's timer");
            real.Advance(TimeSpan.FromMilliseconds(200));
            Assert.True(await tick.WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }
}
