using System.Collections.Concurrent;
using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>Records how long the dispatcher asked the message to stay invisible, before each step.</summary>
internal sealed class RecordingLease : IInvisibilityLease
{
    public ConcurrentQueue<TimeSpan> Requests { get; } = new();

    public Task KeepInvisibleForAsync(TimeSpan busyFor, CancellationToken cancellationToken)
    {
        Requests.Enqueue(busyFor);
        return Task.CompletedTask;
    }
}
