namespace FoodDelivery.LocalRun.Ledger;

/// <summary>
/// How much of one order's latency was spent waiting for a scale from zero: the part of the
/// time from its send to its arrival during which no adapter consumed or no order-service
/// instance was ready. While either is at zero nothing moves, whatever the order waits in (the
/// topic, an adapter's full in-flight window, the activator front); the rest of its latency is
/// the path itself. Pure.
/// </summary>
internal static class ColdStartWait
{
    /// <param name="down">When the path had a component with nothing ready, as [from, to) intervals (to null: until the end), in any order, possibly overlapping.</param>
    public static TimeSpan Of(DateTimeOffset sentAt, DateTimeOffset receivedAt, IEnumerable<(DateTimeOffset From, DateTimeOffset? To)> down)
    {
        var waited = TimeSpan.Zero;
        var covered = sentAt;
        foreach (var (from, to) in down.OrderBy(d => d.From))
        {
            var start = from > covered ? from : covered;
            var end = to is { } until && until < receivedAt ? until : receivedAt;
            if (end > start)
            {
                waited += end - start;
                covered = end;
            }
        }

        return waited;
    }
}
