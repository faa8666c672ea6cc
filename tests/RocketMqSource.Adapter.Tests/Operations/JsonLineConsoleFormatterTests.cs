using System.Text.Json;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Tests.Operations;

public class JsonLineConsoleFormatterTests
{
    [Fact]
    public void Writes_one_json_object_with_standard_keys_and_camel_case_fields()
    {
        var fields = new KeyValuePair<string, object?>[]
        {
            new("Topic", "orders"), new("Attempt", 3), new("DelayMs", 12.5), new("Ok", true), new("{OriginalFormat}", "x {Topic}"),
        };

        var line = JsonLineConsoleFormatter.Format(new DateTimeOffset(2026, 11, 21, 17, 0, 1, 234, TimeSpan.Zero), LogLevel.Warning,
            "RocketMqSource.Adapter.X", "hello\nworld", fields, new InvalidOperationException("boom"));

        Assert.DoesNotContain('\n', line);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("2026-11-21T17:00:01.234Z", root.GetProperty("timestamp").GetString());
        Assert.Equal("warn", root.GetProperty("level").GetString());
        Assert.Equal("RocketMqSource.Adapter.X", root.GetProperty("logger").GetString());
        Assert.Equal("hello\nworld", root.GetProperty("message").GetString());
        Assert.Equal("orders", root.GetProperty("topic").GetString());
        Assert.Equal(3, root.GetProperty("attempt").GetInt32());
        Assert.Equal(12.5, root.GetProperty("delayMs").GetDouble());
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.False(root.TryGetProperty("{OriginalFormat}", out _));
        Assert.Contains("boom", root.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_cannot_overwrite_the_standard_keys()
    {
        var line = JsonLineConsoleFormatter.Format(DateTimeOffset.UnixEpoch, LogLevel.Information, "l", "real", [new("Message", "fake")], null);

        using var json = JsonDocument.Parse(line);
        Assert.Equal("real", json.RootElement.GetProperty("message").GetString());
        Assert.Equal("info", json.RootElement.GetProperty("level").GetString());
    }
}
