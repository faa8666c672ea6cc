using System.Collections.Concurrent;
using System.Diagnostics;

namespace RocketMqSource.Benchmarks;

/// <summary>
/// What the sink saw during one phase: requests, distinct event ids, first and last arrival, and
/// produce→arrival latencies for events carrying the producer's stopwatch timestamp.
/// </summary>
internal sealed class SinkRecorder(bool trackIds, bool trackLatency)
{
    private readonly ConcurrentDictionary<string, byte>? _ids = trackIds ? new(StringComparer.Ordinal) : null;
    private readonly ConcurrentQueue<long>? _latencyTicks = trackLatency ? new() : null;
    private readonly TaskCompletionSource _firstArrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _requests;
    private long _first;
    private long _last;

    public long Requests => Interlocked.Read(ref _requests);

    public int DistinctIds => _ids?.Count ?? 0;

    public long Duplicates => _ids is null ? 0 : Requests - DistinctIds;

    /// <summary>Completes when the first request of the phase arrives; its stopwatch timestamp is <see cref="FirstArrival"/>.</summary>
    public Task FirstArrivalTask => _firstArrival.Task;

    public long FirstArrival => Interlocked.Read(ref _first);

    public long LastArrival => Interlocked.Read(ref _last);

    /// <summary>Stopwatch ticks converted to milliseconds, one per timed event.</summary>
    public double[] LatenciesMilliseconds() =>
        _latencyTicks?.Select(ticks => ticks * 1000.0 / Stopwatch.Frequency).ToArray() ?? [];

    public void Record(string? id, long? producedAt)
    {
        var now = Stopwatch.GetTimestamp();
        if (Interlocked.Increment(ref _requests) == 1)
        {
            Interlocked.Exchange(ref _first, now);
            _firstArrival.TrySetResult();
        }

        // Last arrival only moves forward.
        long seen;
        while ((seen = Interlocked.Read(ref _last)) < now && Interlocked.CompareExchange(ref _last, now, seen) != seen)
        {
        }

        if (_ids is not null && id is not null)
        {
            _ids.TryAdd(id, 0);
        }

        if (_latencyTicks is not null && producedAt is { } produced)
        {
            _latencyTicks.Enqueue(now - produced);
        }
    }

    /// <summary>Events per second between the first and the last arrival.</summary>
    public double ArrivalRate()
    {
        var span = LastArrival - FirstArrival;
        return span <= 0 ? 0 : (DistinctIds > 0 ? DistinctIds : Requests) * (double)Stopwatch.Frequency / span;
    }

    public async Task<bool> WaitForDistinctAsync(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (DistinctIds < count)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
