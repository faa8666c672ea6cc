using System.Collections.Concurrent;
using FoodDelivery.OrderProducer.Messages;
using FoodDelivery.OrderProducer.Sending;

namespace RocketMqSource.Samples.Tests.OrderProducer;

/// <summary>A sender that records messages, counts sends in flight, and fails the orders it is told to.</summary>
internal sealed class RecordingSender(Func<OrderMessage, Task>? beforeAnswer = null, Func<OrderMessage, bool>? fails = null) : IOrderSender
{
    private int _inFlight;
    private int _maxInFlight;

    public ConcurrentQueue<OrderMessage> Sent { get; } = new();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async Task<string> SendAsync(OrderMessage message, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            if (beforeAnswer is not null)
            {
                await beforeAnswer(message);
            }

            if (fails?.Invoke(message) == true)
            {
                throw new InvalidOperationException($"proxy refused {message.OrderId}");
            }

            Sent.Enqueue(message);
            return "MSG-" + message.OrderId;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
