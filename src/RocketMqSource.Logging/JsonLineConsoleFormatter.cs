using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace RocketMqSource.Logging;

/// <summary>
/// One JSON object per line in the shape of Knative's zap production encoder (knative/pkg
/// config-logging encoderConfig: ts in ISO 8601, level, logger, caller, msg, stacktrace), then the
/// process's knative.dev/* keys (<see cref="KnativeLogKeys"/>), then the message's structured
/// fields (camelCase). An exception gives "error" (its message) and "stacktrace"; callers pass one
/// only for unexpected failures or at debug. Identical warnings repeat at most once a minute, with the count held back in "repeated";
/// warnings that differ only in their retry delay count as identical.
/// </summary>
public sealed class JsonLineConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "jsonline";

    private static readonly HashSet<string> ReservedKeys = ["ts", "level", "logger", "caller", "msg", "error", "stacktrace", "repeated"];

    private readonly TimeProvider time;
    private readonly RepeatedLineLimiter limiter;
    private readonly IReadOnlyList<KeyValuePair<string, string>> context;

    /// <param name="context">The process's own keys (knative.dev/pod, …), written on every line after msg.</param>
    public JsonLineConsoleFormatter(IReadOnlyList<KeyValuePair<string, string>> context, TimeProvider? time = null)
        : base(FormatterName)
    {
        this.time = time ?? TimeProvider.System;
        limiter = new RepeatedLineLimiter(this.time);
        this.context = context;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var repeated = 0;
        if (logEntry.LogLevel >= LogLevel.Warning && !limiter.ShouldWrite(RepeatKey(logEntry.Category, logEntry.State, message), out repeated))
        {
            return;
        }

        var entry = new LogLine(time.GetUtcNow(), logEntry.LogLevel, logEntry.Category, Caller(logEntry.Category, logEntry.EventId), message)
        {
            Fields = logEntry.State as IEnumerable<KeyValuePair<string, object?>>,
            Exception = logEntry.Exception,
            Context = context,
            Repeated = repeated,
        };
        textWriter.Write(Format(entry));
        textWriter.Write('\n');
    }

    /// <summary>
    /// What makes two warnings the same: the logger, the template and every field but the retry
    /// delay, which grows with each retry of one and the same failure (a line without a template:
    /// its text).
    /// </summary>
    public static string RepeatKey<TState>(string category, TState state, string message)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> fields || fields.Count == 0 || fields[^1].Key != "{OriginalFormat}")
        {
            return category + "\n" + message;
        }

        var key = new StringBuilder(category);
        foreach (var (name, value) in fields)
        {
            if (name != RetryDelayField)
            {
                key.Append('\n').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        return key.ToString();
    }

    /// <summary>The field our retry warnings name their delay with.</summary>
    public const string RetryDelayField = "DelaySeconds";

    public static string Format(LogLine entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("level", ZapLevels.Name(entry.Level));
            json.WriteString("ts", entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("logger", entry.Logger);
            json.WriteString("caller", entry.Caller);
            json.WriteString("msg", entry.Message);
            foreach (var (key, value) in entry.Context)
            {
                json.WriteString(key, value);
            }

            foreach (var (key, value) in entry.Fields ?? [])
            {
                var name = key.Length > 0 ? char.ToLowerInvariant(key[0]) + key[1..] : key;
                if (key == "{OriginalFormat}" || name.Length == 0 || ReservedKeys.Contains(name))
                {
                    continue;
                }

                WriteField(json, name, value);
            }

            if (entry.Repeated > 0)
            {
                json.WriteNumber("repeated", entry.Repeated);
            }

            if (entry.Exception is { } exception)
            {
                json.WriteString("error", exception.Message);
                json.WriteString("stacktrace", exception.ToString());
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>zap's caller is file:line; ours is the class and the log method (the event name the logging generator sets).</summary>
    private static string Caller(string category, EventId eventId)
    {
        var type = category[(category.LastIndexOf('.') + 1)..];
        return string.IsNullOrEmpty(eventId.Name) ? type : $"{type}.{eventId.Name}";
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
}
