using Microsoft.Extensions.Logging;

namespace RocketMqSource.Logging;

/// <summary>
/// zap's level names (zapcore.Level, as config-logging spells them) and .NET's levels, both ways:
/// one mapping for both executables' config-logging levels and log lines.
/// </summary>
public static class ZapLevels
{
    public const string Known = "debug, info, warn, error, dpanic, panic, fatal";

    /// <summary>The .NET level for a zap name (any case, blank means info); null for any other text.</summary>
    public static LogLevel? Parse(string? zap) => zap?.Trim().ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "info" or "" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "dpanic" or "panic" or "fatal" => LogLevel.Critical,
        _ => null,
    };

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "debug",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "none",
    };
}
