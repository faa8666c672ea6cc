namespace FoodDelivery.LocalRun.Ledger;

/// <summary>
/// What reached the order service, order by order: the first receive time of every order id and
/// how many deliveries there were in all (RocketMQ and the adapter deliver at least once, so an
/// order may arrive twice). Thread-safe: the service reports from its request threads while the
/// run reads counts. Pure bookkeeping, no I/O.
/// </summary>
internal sealed class DeliveryLedger
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> firstReceived = new(StringComparer.Ordinal);
    private long deliveries;

    /// <summary>Orders received at least once.</summary>
    public int DeliveredUnique
    {
        get
        {
            lock (gate)
            {
                return firstReceived.Count;
            }
        }
    }

    /// <summary>Every delivery, duplicates included.</summary>
    public long Deliveries => Interlocked.Read(ref deliveries);

    /// <summary>Records one delivery of <paramref name="orderId"/>; the earliest receive time is kept.</summary>
    public void Delivered(string orderId, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        lock (gate)
        {
            deliveries++;
            if (!firstReceived.TryGetValue(orderId, out var known) || receivedAt < known)
            {
                firstReceived[orderId] = receivedAt;
            }
        }
    }

    /// <summary>True when every one of <paramref name="orderIds"/> has been received.</summary>
    public bool HasAll(IEnumerable<string> orderIds)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        lock (gate)
        {
            return orderIds.All(firstReceived.ContainsKey);
        }
    }

    /// <summary>
    /// Compares what was produced with what was delivered. <paramref name="coldStartWait"/> tells
    /// how much of a delivered order's latency (given its first arrival) was spent waiting for a
    /// scale from zero.
    /// </summary>
    public LedgerReport Reconcile(IReadOnlyCollection<ProducedOrder> produced, Func<ProducedOrder, DateTimeOffset, TimeSpan>? coldStartWait = null)
    {
        ArgumentNullException.ThrowIfNull(produced);
        Dictionary<string, DateTimeOffset> received;
        long total;
        lock (gate)
        {
            received = new Dictionary<string, DateTimeOffset>(firstReceived, StringComparer.Ordinal);
            total = deliveries;
        }

        var producedIds = new HashSet<string>(StringComparer.Ordinal);
        var lost = new List<string>();
        var latencies = new List<TimeSpan>();
        var waits = new List<TimeSpan>();
        var withoutWaits = new List<TimeSpan>();
        var deliveredTimes = new List<DateTimeOffset>();
        foreach (var order in produced)
        {
            if (!producedIds.Add(order.OrderId))
            {
                continue;
            }

            if (received.TryGetValue(order.OrderId, out var receivedAt))
            {
                var latency = receivedAt - order.SentAt;
                var wait = coldStartWait?.Invoke(order, receivedAt) ?? TimeSpan.Zero;
                latencies.Add(latency);
                withoutWaits.Add(latency > wait ? latency - wait : TimeSpan.Zero);
                if (wait > TimeSpan.Zero)
                {
                    waits.Add(wait);
                }

                deliveredTimes.Add(receivedAt);
            }
            else
            {
                lost.Add(order.OrderId);
            }
        }

        var unexpected = received.Keys.Count(id => !producedIds.Contains(id));
        var firstSent = produced.Count > 0 ? produced.Min(o => o.SentAt) : (DateTimeOffset?)null;
        var lastDelivered = deliveredTimes.Count > 0 ? deliveredTimes.Max() : (DateTimeOffset?)null;
        return new LedgerReport(
            Produced: producedIds.Count,
            Delivered: producedIds.Count - lost.Count,
            Duplicates: total - received.Count,
            Lost: lost,
            Unexpected: unexpected,
            Latency: LatencyStats.Of(latencies),
            Window: firstSent is { } start && lastDelivered is { } end && end > start ? end - start : TimeSpan.Zero,
            PeakPerSecond: firstSent is { } origin ? PeakPerSecond(deliveredTimes, origin) : 0)
        {
            ColdStartWaits = LatencyStats.Of(waits),
            LatencyWithoutColdStarts = LatencyStats.Of(withoutWaits),
        };
    }

    /// <summary>The most deliveries in one whole second counted from <paramref name="origin"/>.</summary>
    private static int PeakPerSecond(List<DateTimeOffset> times, DateTimeOffset origin) =>
        times.Count == 0 ? 0 : times.GroupBy(t => (long)Math.Floor((t - origin).TotalSeconds)).Max(g => g.Count());
}

/// <summary>An order the producer got an acknowledgement for, and when its send started.</summary>
internal sealed record ProducedOrder(string OrderId, DateTimeOffset SentAt);

/// <summary>
/// Produced versus delivered. <see cref="Delivered"/> counts produced orders received at least
/// once; <see cref="Duplicates"/> every delivery beyond the first of its order;
/// <see cref="Unexpected"/> orders received that this run did not produce (left over on a real
/// proxy); <see cref="Window"/> from the first send to the last first-delivery.
/// </summary>
internal sealed record LedgerReport(
    int Produced,
    int Delivered,
    long Duplicates,
    IReadOnlyList<string> Lost,
    int Unexpected,
    LatencyStats Latency,
    TimeSpan Window,
    int PeakPerSecond)
{
    /// <summary>How long the orders that met a scale from zero waited for it (only those orders).</summary>
    public LatencyStats ColdStartWaits { get; init; } = LatencyStats.Empty;

    /// <summary>Every delivered order's latency less its cold-start wait.</summary>
    public LatencyStats LatencyWithoutColdStarts { get; init; } = LatencyStats.Empty;

    /// <summary>Delivered orders per second over <see cref="Window"/>.</summary>
    public double Throughput => Window > TimeSpan.Zero ? Delivered / Window.TotalSeconds : 0;
}
