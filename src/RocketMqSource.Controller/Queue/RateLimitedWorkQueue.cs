namespace RocketMqSource.Controller.Queue;

/// <summary>
/// The controller's work queue, shaped like client-go's: a key waits in the queue at most once
/// (dedup), a key being processed is never handed out again until <see cref="Done"/> (added
/// meanwhile, it comes back right after), and failures retry after the larger of a per-key
/// exponential backoff and an overall token-bucket rate limit.
/// </summary>
internal sealed class RateLimitedWorkQueue : IDisposable
{
    private readonly Lock gate = new();
    private readonly Queue<string> queue = new();
    private readonly HashSet<string> dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> processing = new(StringComparer.Ordinal);
    private readonly HashSet<ITimer> timers = [];
    private readonly SemaphoreSlim available = new(0);
    private readonly TimeProvider time;
    private readonly ExponentialBackoff backoff;
    private readonly TokenBucket bucket;
    private bool shutDown;

    public RateLimitedWorkQueue(WorkQueueOptions? options = null, TimeProvider? time = null)
    {
        options ??= new WorkQueueOptions();
        this.time = time ?? TimeProvider.System;
        backoff = new ExponentialBackoff(options.BaseDelay, options.MaxDelay);
        bucket = new TokenBucket(options.QueriesPerSecond, options.Burst, this.time);
    }

    /// <summary>Keys waiting to be processed.</summary>
    public int Depth
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (gate)
        {
            if (shutDown || !dirty.Add(key) || processing.Contains(key))
            {
                return;
            }

            queue.Enqueue(key);
        }

        available.Release();
    }

    /// <summary>Adds the key once the delay has passed.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (gate)
        {
            if (shutDown)
            {
                return;
            }

            // The callback may run before CreateTimer returns; it reads the box under the gate we hold.
            var box = new System.Runtime.CompilerServices.StrongBox<ITimer?>();
            box.Value = time.CreateTimer(_ => Fire(key, box), null, delay, Timeout.InfiniteTimeSpan);
            timers.Add(box.Value);
        }
    }

    /// <summary>A failed key: retry after its backoff (or the overall limit, whichever is longer).</summary>
    public void AddRateLimited(string key)
    {
        TimeSpan delay;
        lock (gate)
        {
            var perKey = backoff.Next(key);
            var overall = bucket.Reserve();
            delay = perKey > overall ? perKey : overall;
        }

        AddAfter(key, delay);
    }

    /// <summary>The key succeeded: its next failure starts from the base delay again.</summary>
    public void Forget(string key)
    {
        lock (gate)
        {
            backoff.Forget(key);
        }
    }

    public int NumRequeues(string key)
    {
        lock (gate)
        {
            return backoff.Failures(key);
        }
    }

    /// <summary>Waits for a key and marks it as being processed; null once shut down.</summary>
    public async Task<string?> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (gate)
            {
                if (queue.TryDequeue(out var key))
                {
                    dirty.Remove(key);
                    processing.Add(key);
                    return key;
                }

                if (shutDown)
                {
                    available.Release();
                    return null;
                }
            }
        }
    }

    /// <summary>Processing of the key finished; if it was added meanwhile it is queued again.</summary>
    public void Done(string key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (!dirty.Contains(key))
            {
                return;
            }

            queue.Enqueue(key);
        }

        available.Release();
    }

    public void ShutDown()
    {
        lock (gate)
        {
            shutDown = true;
            foreach (var timer in timers)
            {
                timer.Dispose();
            }

            timers.Clear();
        }

        available.Release();
    }

    public void Dispose()
    {
        ShutDown();
        available.Dispose();
    }

    private void Fire(string key, System.Runtime.CompilerServices.StrongBox<ITimer?> box)
    {
        ITimer timer;
        lock (gate)
        {
            timer = box.Value!;
            if (!timers.Remove(timer))
            {
                return;
            }
        }

        timer.Dispose();
        Add(key);
    }
}
