using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace RocketMqSource.Adapter.Operations;

/// <summary>
/// One JSON object per line: timestamp, level, logger, message, then the message's structured
/// fields (camelCase) and the error, if any. Fields come only from log templates, which never
/// carry credentials.
/// </summary>
internal sealed class JsonLineConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "jsonline";

    private static readonly HashSet<string> ReservedKeys = ["timestamp", "level", "logger", "message", "error"];

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        textWriter.Write(Format(DateTimeOffset.UtcNow, logEntry.LogLevel, logEntry.Category, message, logEntry.State as IEnumerable<KeyValuePair<string, object?>>, logEntry.Exception));
        textWriter.Write('\n');
    }

    public static string Format(DateTimeOffset timestamp, LogLevel level, string logger, string message, IEnumerable<KeyValuePair<string, object?>>? fields, Exception? exception)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", LevelName(level));
            json.WriteString("logger", logger);
            json.WriteString("message", message);
            foreach (var (key, value) in fields ?? [])
            {
                var name = key.Length > 0 ? char.ToLowerInvariant(key[0]) + key[1..] : key;
                if (key == "{OriginalFormat}" || name.Length == 0 || ReservedKeys.Contains(name))
                {
                    continue;
                }

                WriteField(json, name, value);
            }

            if (exception is not null)
            {
                json.WriteString("error", exception.ToString());
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteField(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(name);
                break;
            case bool flag:
                json.WriteBoolean(name, flag);
                break;
            case int or long or short or byte or uint or ulong:
                json.WriteNumber(name, Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                break;
            case double number when double.IsFinite(number):
                json.WriteNumber(name, number);
                break;
            default:
                json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "none",
    };
}
