namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// A message the adapter holds (received, not yet acked, handed back or abandoned): its current
/// receipt handle and until when RocketMQ keeps it invisible.
/// </summary>
internal sealed class HeldMessage(ReceivedMessage message, DateTimeOffset invisibleUntil, Action release)
{
    private int released;

    public ReceivedMessage Message { get; private set; } = message;

    public DateTimeOffset InvisibleUntil { get; private set; } = invisibleUntil;

    public void Renewed(string receiptHandle, DateTimeOffset invisibleUntil)
    {
        Message = Message with { ReceiptHandle = receiptHandle };
        InvisibleUntil = invisibleUntil;
    }

    /// <summary>Gives the message's in-flight slot back; only the first call counts.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            release();
        }
    }
}
