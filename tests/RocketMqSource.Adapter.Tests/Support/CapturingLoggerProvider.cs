using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RocketMqSource.Logging;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>Keeps every log entry as the JSON line the adapter's console formatter would write.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Lines.Enqueue(JsonLineConsoleFormatter.Format(new LogLine(DateTimeOffset.UtcNow, logLevel, category, category, formatter(state, exception))
            {
                Fields = state as IEnumerable<KeyValuePair<string, object?>>,
                Exception = exception,
            }));
    }
}
