using System.Collections.Concurrent;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// The per-attempt sink timeout, on the injected clock, without a new CancellationTokenSource, timer
/// and linked source per attempt (an allocation profile showed them on every event): a source whose
/// attempt ended without cancellation is reset (<see cref="CancellationTokenSource.TryReset"/>, which
/// also stops its timer) and serves a later attempt; the caller's token cancels an attempt through a
/// registration instead of a linked source.
/// </summary>
internal sealed class AttemptTimeouts(TimeSpan timeout, TimeProvider time)
{
    private readonly ConcurrentQueue<CancellationTokenSource> free = new();

    /// <summary>An attempt's token: cancelled after the timeout or when <paramref name="cancellationToken"/> is. Dispose it when the attempt ends.</summary>
    public Attempt Start(CancellationToken cancellationToken)
    {
        if (!free.TryDequeue(out var source))
        {
            // Created on the injected clock; CancelAfter then arms that clock's timer.
            source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        }

        source.CancelAfter(timeout);
        var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source);
        return new Attempt(this, source, link);
    }

    private void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            free.Enqueue(source);
        }
        else
        {
            source.Dispose();
        }
    }

    /// <summary>One attempt's cancellation; disposing it unlinks the caller's token (waiting for a cancel in progress) and frees the source.</summary>
    public readonly struct Attempt(AttemptTimeouts owner, CancellationTokenSource source, CancellationTokenRegistration link) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            link.Dispose();
            owner.Return(source);
        }
    }
}
