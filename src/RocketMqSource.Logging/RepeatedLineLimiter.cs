namespace RocketMqSource.Logging;

/// <summary>
/// Lets an identical warning through once per <see cref="Window"/> and counts the copies it
/// held back, so a proxy that stays down yields one line a minute, not one per retry.
/// </summary>
internal sealed class RepeatedLineLimiter(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Entry> lines = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>True when the line should be written; <paramref name="suppressed"/> is how many copies were held back since the last one written.</summary>
    public bool ShouldWrite(string line, out int suppressed)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (lines.TryGetValue(line, out var entry) && now - entry.WrittenAt < Window)
            {
                entry.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = entry?.Suppressed ?? 0;
            if (lines.Count > 1000)
            {
                // Distinct lines are few; this only bounds memory should a message carry ever-changing text.
                lines.Clear();
            }

            lines[line] = new Entry { WrittenAt = now };
            return true;
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset WrittenAt { get; init; }

        public int Suppressed { get; set; }
    }
}
