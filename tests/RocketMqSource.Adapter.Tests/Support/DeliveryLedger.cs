using System.Collections.Concurrent;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>Counts what the sinks accepted per event id, to prove zero loss and count duplicates.</summary>
internal sealed class DeliveryLedger
{
    private readonly ConcurrentDictionary<string, int> accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> deadLettered = new(StringComparer.Ordinal);

    public int Accepted => accepted.Count;

    public int DeadLettered => deadLettered.Count;

    public IReadOnlyCollection<string> AcceptedIds => [.. accepted.Keys];

    public IReadOnlyCollection<string> DeadLetteredIds => [.. deadLettered.Keys];

    /// <summary>Deliveries beyond the first of each event, over both sinks.</summary>
    public int Duplicates => accepted.Values.Sum(n => n - 1) + deadLettered.Values.Sum(n => n - 1)
        + accepted.Keys.Count(deadLettered.ContainsKey);

    public void Accept(string id) => accepted.AddOrUpdate(id, 1, (_, n) => n + 1);

    public void DeadLetter(string id) => deadLettered.AddOrUpdate(id, 1, (_, n) => n + 1);

    /// <summary>Produced ids that reached neither the sink, nor the dead-letter sink, nor <paramref name="alsoSettled"/>.</summary>
    public List<string> Missing(IEnumerable<string> produced, IEnumerable<string>? alsoSettled = null)
    {
        var settled = new HashSet<string>(alsoSettled ?? [], StringComparer.Ordinal);
        return [.. produced.Where(id => !accepted.ContainsKey(id) && !deadLettered.ContainsKey(id) && !settled.Contains(id))];
    }
}
