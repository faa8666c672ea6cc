using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Logging;
using RocketMqSource.Testing;

namespace RocketMqSource.Logging.Tests;

/// <summary>
/// Lines in Knative's zap JSON shape (knative/pkg config-logging encoderConfig: ts, level, logger,
/// caller, msg, stacktrace; logging/logkey: knative.dev/pod, knative.dev/key).
/// </summary>
public class JsonLineConsoleFormatterTests
{
    [Fact]
    public void Writes_one_json_object_with_zap_keys_knative_fields_and_camel_case_fields()
    {
        var fields = new KeyValuePair<string, object?>[]
        {
            new("Topic", "orders"), new("Attempt", 3), new("DelayMs", 12.5), new("Ok", true), new("{OriginalFormat}", "x {Topic}"),
        };
        var context = KnativeLogKeys.Of((KnativeLogKeys.Pod, "orders-adapter-1"), (KnativeLogKeys.ControllerType, null), (KnativeLogKeys.Key, "food/orders"));

        var line = JsonLineConsoleFormatter.Format(new LogLine(new DateTimeOffset(2026, 11, 21, 17, 0, 1, 234, TimeSpan.Zero), LogLevel.Warning,
            "RocketMqSource.Adapter.X", "X.LogSomething", "hello\nworld")
        {
            Fields = fields,
            Context = context,
            Exception = new InvalidOperationException("boom"),
        });

        Assert.DoesNotContain('\n', line);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(["level", "ts", "logger", "caller", "msg", "knative.dev/pod", "knative.dev/key", "topic", "attempt", "delayMs", "ok", "error", "stacktrace"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-21T17:00:01.234Z", root.GetProperty("ts").GetString());
        Assert.Equal("warn", root.GetProperty("level").GetString());
        Assert.Equal("RocketMqSource.Adapter.X", root.GetProperty("logger").GetString());
        Assert.Equal("X.LogSomething", root.GetProperty("caller").GetString());
        Assert.Equal("hello\nworld", root.GetProperty("msg").GetString());
        Assert.Equal("food/orders", root.GetProperty("knative.dev/key").GetString());
        Assert.Equal(3, root.GetProperty("attempt").GetInt32());
        Assert.Equal(12.5, root.GetProperty("delayMs").GetDouble());
        Assert.Equal("boom", root.GetProperty("error").GetString());
        Assert.StartsWith("System.InvalidOperationException: boom", root.GetProperty("stacktrace").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_cannot_overwrite_the_standard_keys()
    {
        var line = JsonLineConsoleFormatter.Format(new LogLine(DateTimeOffset.UnixEpoch, LogLevel.Information, "l", "l", "real") { Fields = [new("Msg", "fake"), new("Ts", "fake")] });

        using var json = JsonDocument.Parse(line);
        Assert.Equal("real", json.RootElement.GetProperty("msg").GetString());
        Assert.Equal("1970-01-01T00:00:00.000Z", json.RootElement.GetProperty("ts").GetString());
        Assert.False(json.RootElement.TryGetProperty("stacktrace", out _));
    }

    [Fact]
    public void Identical_warnings_are_written_once_a_minute_with_the_count_held_back()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var formatter = new JsonLineConsoleFormatter([], clock);
        var output = new StringWriter();
        void Warn(string message) => formatter.Write(new LogEntry<string>(LogLevel.Warning, "RocketMqSource.Adapter.Consuming.ConsumeLoop", new EventId(7, "LogStartFailed"), message, null, (s, _) => s), null, output);

        Warn("connecting to RocketMQ 10.0.0.5:8081 failed: connection refused; retrying in 30s");
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(15));
            Warn("connecting to RocketMQ 10.0.0.5:8081 failed: connection refused; retrying in 30s");
        }

        Warn("connecting to RocketMQ 10.0.0.5:8081 failed: name not resolved; retrying in 30s");
        clock.Advance(TimeSpan.FromSeconds(15));
        Warn("connecting to RocketMQ 10.0.0.5:8081 failed: connection refused; retrying in 30s");

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.False(lines[0].TryGetProperty("repeated", out _));
        Assert.Contains("name not resolved", lines[1].GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, lines[2].GetProperty("repeated").GetInt32());
        Assert.Equal("2026-12-01T00:01:00.000Z", lines[2].GetProperty("ts").GetString());
        Assert.Equal("ConsumeLoop.LogStartFailed", lines[2].GetProperty("caller").GetString());
    }

    [Fact]
    public void Warnings_that_differ_only_in_their_retry_delay_are_one_repeated_warning()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var formatter = new JsonLineConsoleFormatter([], clock);
        var output = new StringWriter();
        void Warn(string cause, double delay)
        {
            // The state LoggerMessage generates: the fields, then the template under {OriginalFormat}.
            KeyValuePair<string, object?>[] state =
            [
                new("Endpoints", "10.0.0.5:8081"), new("Cause", cause), new(JsonLineConsoleFormatter.RetryDelayField, delay),
                new("{OriginalFormat}", "connecting to RocketMQ {Endpoints} failed: {Cause}; retrying in {DelaySeconds}s"),
            ];
            formatter.Write(new LogEntry<KeyValuePair<string, object?>[]>(LogLevel.Warning, "RocketMqSource.Adapter.Consuming.ConsumeLoop", new EventId(7, "LogStartFailed"), state, null,
                (s, _) => $"connecting to RocketMQ {s[0].Value} failed: {s[1].Value}; retrying in {s[2].Value}s"), null, output);
        }

        Warn("connection refused", 1);
        Warn("connection refused", 2);
        Warn("connection refused", 4);
        Warn("name not resolved", 8);
        clock.Advance(TimeSpan.FromMinutes(1));
        Warn("connection refused", 16);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(
            [
                "connecting to RocketMQ 10.0.0.5:8081 failed: connection refused; retrying in 1s",
                "connecting to RocketMQ 10.0.0.5:8081 failed: name not resolved; retrying in 8s",
                "connecting to RocketMQ 10.0.0.5:8081 failed: connection refused; retrying in 16s",
            ],
            lines.Select(l => l.GetProperty("msg").GetString()));
        Assert.Equal(2, lines[2].GetProperty("repeated").GetInt32());
    }
}
