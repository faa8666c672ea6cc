using Microsoft.Extensions.Logging;

namespace RocketMqSource.Logging;

/// <summary>One log entry as the formatter writes it.</summary>
public sealed record LogLine(DateTimeOffset Timestamp, LogLevel Level, string Logger, string Caller, string Message)
{
    public IEnumerable<KeyValuePair<string, object?>>? Fields { get; init; }

    public Exception? Exception { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Context { get; init; } = [];

    public int Repeated { get; init; }
}
