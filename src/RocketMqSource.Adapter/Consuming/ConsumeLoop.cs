using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Operations;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// Long-polls RocketMQ in batches while there is room, never holding more than max in-flight
/// messages: it counts what it hands to the scheduler and what the scheduler settles, and waits
/// for settlements while full. On stop it drains within the grace period, then abandons what is
/// left (it comes back after its invisible duration).
/// </summary>
internal sealed partial class ConsumeLoop(
    IMessageSource source,
    DeliveryScheduler scheduler,
    ConsumeOptions options,
    AdapterTelemetry telemetry,
    ReadinessState readiness,
    TimeProvider time,
    ILogger<ConsumeLoop> logger)
{
    private int inFlight;

    /// <summary>Consumes until <paramref name="stopping"/> fires, then drains and returns.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var abandon = new CancellationTokenSource();
        var settling = scheduler.RunAsync(abandon.Token);
        try
        {
            await StartSourceAsync(stopping);
            readiness.ConsumingStarted();
            LogConsuming(options.Topic, options.ConsumerGroup);
            await ReceiveUntilStoppedAsync(stopping, abandon.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stop requested while starting or receiving.
        }
        finally
        {
            readiness.ConsumingStopped();
            await DrainAsync(abandon);
            scheduler.Complete();
            await settling;
        }
    }

    private async Task ReceiveUntilStoppedAsync(CancellationToken stopping, CancellationToken deliveries)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            await WaitForRoomAsync(stopping);
            var room = Math.Min(options.BatchSize, options.MaxInFlight - inFlight);
            IReadOnlyList<MessageView> views;
            try
            {
                views = await source.ReceiveAsync(room, options.InvisibleDuration, stopping);
                failures = 0;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                failures++;
                var delay = ReceiveRetryDelay(failures);
                var failure = RocketMqFailure.Of(e);
                if (failure.Expected)
                {
                    LogReceiveFailed(options.Endpoints, failure.Cause, delay.TotalSeconds);
                    LogFailureDetail(e);
                }
                else
                {
                    LogReceiveFailedUnexpectedly(e, options.Endpoints, delay.TotalSeconds);
                }

                await Task.Delay(delay, time, stopping);
                continue;
            }

            // RocketMQ started the invisible duration when it popped the messages, just before
            // answering; the renewal margin covers the response's travel time.
            var receivedAt = time.GetUtcNow();
            var invisibleUntil = receivedAt + options.InvisibleDuration;
            if (views.Count > room)
            {
                // More than asked would break the in-flight bound: the extra ones come back after their invisible duration.
                LogTooMany(views.Count, room);
            }

            var taken = Math.Min(views.Count, room);
            if (taken > 0)
            {
                telemetry.Received(taken);
            }

            for (var i = 0; i < taken; i++)
            {
                inFlight++;
                telemetry.Queued(receivedAt - new DateTimeOffset(DateTime.SpecifyKind(views[i].BornTime, DateTimeKind.Utc)));
                telemetry.Held();
                scheduler.Schedule(new InFlightMessage(views[i], receivedAt, invisibleUntil), deliveries);
            }
        }
    }

    /// <summary>Counts the settlements so far; while full, waits for the next one instead of receiving.</summary>
    private async Task WaitForRoomAsync(CancellationToken stopping)
    {
        CountSettled();
        while (inFlight >= options.MaxInFlight)
        {
            await scheduler.Settled.WaitToReadAsync(stopping);
            CountSettled();
        }
    }

    private void CountSettled()
    {
        while (scheduler.Settled.TryRead(out _))
        {
            inFlight--;
        }
    }

    private async Task StartSourceAsync(CancellationToken stopping)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await source.StartAsync(stopping);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                var delay = ReceiveRetryDelay(failures);
                var failure = RocketMqFailure.Of(e);
                readiness.Blocked(failure, options.Endpoints);
                if (failure.Expected)
                {
                    LogStartFailed(options.Endpoints, failure.Cause, delay.TotalSeconds);
                    LogFailureDetail(e);
                }
                else
                {
                    LogStartFailedUnexpectedly(e, options.Endpoints, delay.TotalSeconds);
                }

                await Task.Delay(delay, time, stopping);
            }
        }
    }

    /// <summary>Waits until every held message is settled; past the grace period, abandons the deliveries still running.</summary>
    private async Task DrainAsync(CancellationTokenSource abandon)
    {
        var started = time.GetTimestamp();
        using var grace = new CancellationTokenSource(options.ShutdownGracePeriod, time);
        using var abandonAtDeadline = grace.Token.Register(() =>
        {
            LogAbandoning(Volatile.Read(ref inFlight), options.ShutdownGracePeriod.TotalSeconds);
            abandon.Cancel();
        });
        CountSettled();
        while (inFlight > 0)
        {
            // Abandoned deliveries settle at once, so this ends soon after the grace period.
            await scheduler.Settled.WaitToReadAsync(CancellationToken.None);
            CountSettled();
        }

        LogDrained(time.GetElapsedTime(started).TotalMilliseconds);
    }

    private TimeSpan ReceiveRetryDelay(int failures)
    {
        var delay = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures - 1, 10)));
        return delay < options.MaxReceiveRetryDelay ? delay : options.MaxReceiveRetryDelay;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "consuming topic={Topic} group={ConsumerGroup}")]
    private partial void LogConsuming(string topic, string consumerGroup);

    [LoggerMessage(Level = LogLevel.Warning, Message = "receiving from RocketMQ {Endpoints} failed: {Cause}; retrying in {DelaySeconds}s")]
    private partial void LogReceiveFailed(string endpoints, string cause, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "receiving from RocketMQ {Endpoints} failed unexpectedly; retrying in {DelaySeconds}s")]
    private partial void LogReceiveFailedUnexpectedly(Exception exception, string endpoints, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "connecting to RocketMQ {Endpoints} failed: {Cause}; retrying in {DelaySeconds}s")]
    private partial void LogStartFailed(string endpoints, string cause, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "connecting to RocketMQ {Endpoints} failed unexpectedly; retrying in {DelaySeconds}s")]
    private partial void LogStartFailedUnexpectedly(Exception exception, string endpoints, double delaySeconds);

    /// <summary>The stack of an expected failure, for debugging only.</summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "RocketMQ failure detail")]
    private partial void LogFailureDetail(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RocketMQ returned {Count} messages for a request of {Granted}; the extra ones are left to come back")]
    private partial void LogTooMany(int count, int granted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "abandoning {InFlight} messages not settled within the {GraceSeconds}s grace period; RocketMQ delivers them again")]
    private partial void LogAbandoning(int inFlight, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped consuming; drained in {ElapsedMs} ms")]
    private partial void LogDrained(double elapsedMs);
}
