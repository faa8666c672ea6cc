using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// Runs deliveries: messages of one message group one at a time in receive order (when ordered),
/// everything else in parallel. The number of held messages is bounded by the consume loop.
/// </summary>
internal sealed class DeliveryScheduler(
    MessageProcessor processor,
    IMessageSource source,
    TimeSpan invisibleDuration,
    bool ordered,
    TimeProvider time,
    ILogger logger)
{
    private readonly Dictionary<string, Queue<HeldMessage>> groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, Task> running = new();
    private long nextTaskId;

    public void Schedule(HeldMessage held, CancellationToken cancellationToken)
    {
        if (!ordered || held.Message.MessageGroup is not { } group)
        {
            Track(ProcessOneAsync(held, cancellationToken));
            return;
        }

        lock (groups)
        {
            if (groups.TryGetValue(group, out var queue))
            {
                queue.Enqueue(held);
                return;
            }

            groups[group] = new Queue<HeldMessage>();
        }

        Track(RunGroupAsync(group, held, cancellationToken));
    }

    /// <summary>Completes when every delivery started so far has ended.</summary>
    public async Task WhenIdleAsync()
    {
        while (!running.IsEmpty)
        {
            await Task.WhenAll(running.Values);
        }
    }

    private async Task ProcessOneAsync(HeldMessage held, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var lease = new MessageLease(held, static () => [], source, invisibleDuration, time, logger);
        await processor.ProcessAsync(held, lease, cancellationToken);
    }

    private async Task RunGroupAsync(string group, HeldMessage first, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var current = first;
        while (true)
        {
            var lease = new MessageLease(current, () => Waiting(group), source, invisibleDuration, time, logger);
            var (settlement, responseCode) = await processor.ProcessAsync(current, lease, cancellationToken);
            HeldMessage? next = null;
            List<HeldMessage> left = [];
            lock (groups)
            {
                var queue = groups[group];
                if (settlement != Settlement.Acked || !queue.TryDequeue(out next))
                {
                    left = [.. queue];
                    groups.Remove(group);
                }
            }

            if (next is not null)
            {
                current = next;
                continue;
            }

            // The group's order would break if later messages overtook the one not delivered, so
            // they go back (or are left) with it.
            foreach (var waiting in left)
            {
                if (settlement == Settlement.HandedBack)
                {
                    await processor.HandBackAsync(waiting, responseCode, cancellationToken);
                }
                else
                {
                    waiting.Release();
                }
            }

            return;
        }
    }

    private List<HeldMessage> Waiting(string group)
    {
        lock (groups)
        {
            return groups.TryGetValue(group, out var queue) ? [.. queue] : [];
        }
    }

    private void Track(Task task)
    {
        var id = Interlocked.Increment(ref nextTaskId);
        running[id] = task;
        task.ContinueWith(_ => running.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
