using System.Collections.Concurrent;
using FoodDelivery.OrderProducer.Load;
using FoodDelivery.OrderProducer.Messages;
using FoodDelivery.OrderProducer.Orders;
using FoodDelivery.OrderProducer.Sending;

namespace FoodDelivery.OrderProducer;

/// <summary>
/// Sends generated orders to RocketMQ following the meal-time profile: at every moment the run
/// has sent as many orders as the profile's integral says, with up to
/// <see cref="ProducerOptions.Concurrency"/> sends in flight. Usable in-process (the local run
/// calls it) or from the command line.
/// </summary>
public static class OrderProducerRunner
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Connects a producer to <see cref="ProducerOptions.Endpoints"/>, runs the whole profile (or
    /// until cancelled or <see cref="ProducerOptions.MaxOrders"/>), and returns what was sent.
    /// Cancelling stops new sends and still returns the result of the ones made.
    /// </summary>
    public static async Task<ProducerRunResult> RunAsync(
        ProducerOptions options, IProgress<ProducerProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var sender = await RocketMqOrderSender.ConnectAsync(options, cancellationToken);
        return await RunAsync(options, sender, progress, cancellationToken);
    }

    internal static async Task<ProducerRunResult> RunAsync(
        ProducerOptions options, IOrderSender sender, IProgress<ProducerProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        var profile = new MealTimeLoadProfile(options.PeakRate, options.Duration, options.QuietRate);
        var generator = new OrderGenerator(options.Seed, options.CancelRatio);
        var factory = new OrderMessageFactory(options.Topic, options.Format, options.CloudEventsMode, options.Trace);
        var clock = options.TimeProvider;
        var cap = options.MaxOrders ?? long.MaxValue;
        var tally = new Tally();
        var pending = new List<Task>();
        using var slots = new SemaphoreSlim(options.Concurrency);

        var started = clock.GetTimestamp();
        var nextReport = ReportEvery;
        long reportedSent = 0;
        long issued = 0;
        while (!cancellationToken.IsCancellationRequested && issued < cap)
        {
            var elapsed = clock.GetElapsedTime(started);
            var due = Math.Min(cap, (long)Math.Floor(profile.ExpectedOrdersBy(elapsed)));
            while (issued < due && !cancellationToken.IsCancellationRequested)
            {
                if (!await WaitForSlotAsync(slots, cancellationToken))
                {
                    break;
                }

                issued++;
                var message = factory.Create(generator.Next(clock.GetUtcNow()), clock.GetUtcNow());
                pending.Add(SendOneAsync(sender, message, clock, tally, slots));
            }

            if (elapsed >= nextReport)
            {
                var sent = Interlocked.Read(ref tally.Sent);
                progress?.Report(new ProducerProgress(elapsed, profile.RateAt(elapsed), sent - reportedSent, sent, Interlocked.Read(ref tally.Failed)));
                reportedSent = sent;
                nextReport += ReportEvery;
                pending.RemoveAll(task => task.IsCompleted);
            }

            if (elapsed >= options.Duration && issued >= due)
            {
                break;
            }

            try
            {
                await Task.Delay(Tick, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(pending);
        var total = clock.GetElapsedTime(started);
        return new ProducerRunResult(
            tally.Sent,
            tally.Failed,
            total,
            [.. tally.Orders.OrderBy(o => o.SendStartedAt)],
            [.. tally.Failures.OrderBy(o => o.SendStartedAt)]);
    }

    private static async Task<bool> WaitForSlotAsync(SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await slots.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// One send, never cancelled halfway (the proxy may have stored it); the client's request
    /// timeout bounds it. Failures are recorded, not thrown: one bad send must not stop a load run.
    /// </summary>
    private static async Task SendOneAsync(IOrderSender sender, OrderMessage message, TimeProvider clock, Tally tally, SemaphoreSlim slots)
    {
        var startedAt = clock.GetUtcNow();
        try
        {
            var messageId = await sender.SendAsync(message, CancellationToken.None);
            tally.Orders.Enqueue(new SentOrder(message.OrderId, messageId, message.Tag, startedAt, clock.GetUtcNow(),
                message.Properties.GetValueOrDefault(OrderMessageFactory.TraceParentProperty)));
            Interlocked.Increment(ref tally.Sent);
        }
#pragma warning disable CA1031 // Any failure of one send is data for the report, not a reason to stop the run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            tally.Failures.Enqueue(new FailedOrder(message.OrderId, startedAt, $"{e.GetType().Name}: {e.Message}"));
            Interlocked.Increment(ref tally.Failed);
        }
        finally
        {
            slots.Release();
        }
    }

    private sealed class Tally
    {
#pragma warning disable CA1051 // Counters updated with Interlocked need to be fields.
        public long Sent;
        public long Failed;
#pragma warning restore CA1051

        public ConcurrentQueue<SentOrder> Orders { get; } = new();

        public ConcurrentQueue<FailedOrder> Failures { get; } = new();
    }
}
