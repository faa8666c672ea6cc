using Microsoft.Extensions.Logging;
using RocketMqSource.Logging;

namespace RocketMqSource.Controller.Hosting;

/// <summary>
/// The controller's own log level, changed at runtime from config-logging's loglevel.controller as
/// knative/pkg logging/config.go UpdateLevelFromConfigMap does for a component's zap AtomicLevel:
/// a missing key (or deleted map) means info, an invalid level is refused and the last good stays.
/// LOG_LEVEL (the same key, read at start) only seeds it until the map is first listed.
/// </summary>
internal sealed class ControllerLogLevel(LogLevel initial)
{
    public const string Key = "loglevel.controller";

    private volatile int minimum = (int)initial;

    public LogLevel Minimum => (LogLevel)minimum;

    /// <summary>Routes every category without a rule of its own through this level.</summary>
    public void Install(ILoggingBuilder logging)
    {
        // The fixed minimum would cut debug lines before the filter sees them.
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddFilter((_, _, level) => level >= Minimum);
    }

    /// <summary>
    /// Takes config-logging's new data (null: deleted); true when the level changed. Throws
    /// <see cref="ArgumentException"/> for a level zap does not know, leaving the level as it was.
    /// </summary>
    public bool Apply(IDictionary<string, string>? data)
    {
        var text = data is not null && data.TryGetValue(Key, out var value) && value.Length > 0 ? value : "info";
        var next = ZapLevels.Parse(text) ?? throw new ArgumentException($"{Key} must be a zap level ({ZapLevels.Known}), got '{text}'");
        return Interlocked.Exchange(ref minimum, (int)next) != (int)next;
    }
}
