using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// A message the adapter holds (received, not yet acked, handed back or abandoned): the client's
/// view of it (which carries the newest receipt handle) and until when RocketMQ keeps it invisible.
/// Renewals of its invisibility never overlap its settlement: settling waits for a renewal in
/// progress, so an ack or hand-back always uses the newest receipt handle.
/// </summary>
internal sealed class InFlightMessage(MessageView view, DateTimeOffset receivedAt, DateTimeOffset invisibleUntil)
{
    private readonly Lock gate = new();
    private long invisibleUntilTicks = invisibleUntil.UtcTicks;
    private Task renewal = Task.CompletedTask;
    private bool settling;

    public MessageView View { get; } = view;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public DateTimeOffset InvisibleUntil
    {
        get => new(Interlocked.Read(ref invisibleUntilTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref invisibleUntilTicks, value.UtcTicks);
    }

    /// <summary>Runs <paramref name="renew"/> in the background unless the message is being settled or already renewing.</summary>
    public void Renew(Func<Task> renew)
    {
        lock (gate)
        {
            if (!settling && renewal.IsCompleted)
            {
                renewal = Task.Run(renew);
            }
        }
    }

    /// <summary>No renewal starts from now on; completes when the one in progress, if any, has ended.</summary>
    public Task StopRenewing()
    {
        lock (gate)
        {
            settling = true;
            return renewal;
        }
    }
}
