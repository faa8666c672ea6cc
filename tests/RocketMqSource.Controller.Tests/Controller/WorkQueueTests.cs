using RocketMqSource.Controller.Queue;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>The work queue: dedup, one worker per key, per-key backoff and an overall rate limit.</summary>
public sealed class WorkQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_key_added_many_times_waits_in_the_queue_once()
    {
        using var queue = new RateLimitedWorkQueue();
        queue.Add("food/orders");
        queue.Add("food/orders");
        queue.Add("food/refunds");
        queue.Add("food/orders");

        Assert.Equal(2, queue.Depth);
        Assert.Equal("food/orders", await queue.GetAsync(CancellationToken.None));
        Assert.Equal("food/refunds", await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_out_again_until_done_then_comes_back_once()
    {
        using var queue = new RateLimitedWorkQueue();
        queue.Add("food/orders");
        var key = await queue.GetAsync(CancellationToken.None);

        queue.Add("food/orders");
        queue.Add("food/orders");
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var secondWorker = queue.GetAsync(shortWait.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => secondWorker);
        Assert.Equal(0, queue.Depth);
        queue.Done(key!);
        Assert.Equal(1, queue.Depth);
        Assert.Equal("food/orders", await queue.GetAsync(CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public async Task Many_workers_never_process_the_same_key_at_the_same_time()
    {
        using var queue = new RateLimitedWorkQueue();
        using var stop = new CancellationTokenSource();
        var active = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var processed = 0;
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (await queue.GetAsync(stop.Token) is { } key)
            {
                if (active.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                active.AddOrUpdate(key, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        })).ToArray();

        for (var i = 0; i < 2000; i++)
        {
            queue.Add($"food/source-{i % 3}");
        }

        await WaitUntil(() => queue.Depth == 0 && active.Values.All(v => v == 0) && Volatile.Read(ref processed) > 0);
        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(Patience);

        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task A_failed_key_comes_back_after_its_backoff_and_forget_resets_the_count()
    {
        using var queue = new RateLimitedWorkQueue(new WorkQueueOptions { BaseDelay = TimeSpan.FromMilliseconds(20) });
        queue.Add("food/orders");
        var key = (await queue.GetAsync(CancellationToken.None))!;

        queue.AddRateLimited(key);
        queue.Done(key);
        Assert.Equal(0, queue.Depth); // not yet: it waits for its backoff
        Assert.Equal(key, await queue.GetAsync(CancellationToken.None).WaitAsync(Patience));
        queue.AddRateLimited(key);
        queue.Done(key);

        Assert.Equal(2, queue.NumRequeues(key));
        queue.Forget(key);
        Assert.Equal(0, queue.NumRequeues(key));
        Assert.Equal(key, await queue.GetAsync(CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public void Per_key_backoff_doubles_up_to_the_cap_and_keys_are_independent()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1));

        var delays = Enumerable.Range(0, 10).Select(_ => backoff.Next("a").TotalMilliseconds).ToArray();

        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000], delays);
        Assert.Equal(5, backoff.Next("b").TotalMilliseconds);
        backoff.Forget("a");
        Assert.Equal(5, backoff.Next("a").TotalMilliseconds);
    }

    [Fact]
    public void The_overall_rate_limit_spaces_retries_once_the_burst_is_spent()
    {
        var clock = new SteppedClock();
        var bucket = new TokenBucket(perSecond: 10, burst: 3, clock);

        var first = Enumerable.Range(0, 3).Select(_ => bucket.Reserve()).ToArray();
        var fourth = bucket.Reserve();
        var fifth = bucket.Reserve();
        clock.Advance(TimeSpan.FromSeconds(10));
        var afterRefill = bucket.Reserve();

        Assert.All(first, d => Assert.Equal(TimeSpan.Zero, d));
        Assert.Equal(TimeSpan.FromMilliseconds(100), fourth);
        Assert.Equal(TimeSpan.FromMilliseconds(200), fifth);
        Assert.Equal(TimeSpan.Zero, afterRefill);
    }

    [Fact]
    public async Task Shutting_down_releases_waiting_workers()
    {
        using var queue = new RateLimitedWorkQueue();
        var waiting = queue.GetAsync(CancellationToken.None);

        queue.ShutDown();

        Assert.Null(await waiting.WaitAsync(Patience));
    }

    private static Task WaitUntil(Func<bool> condition) => Eventually.WaitAsync(condition, "the queue's state", Patience);

    private sealed class SteppedClock : TimeProvider
    {
        private DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
