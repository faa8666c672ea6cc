using RocketMqSource.Adapter.Configuration;

namespace RocketMqSource.Adapter.Tests.Configuration;

public class DurationParserTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("0", 0)]
    [InlineData("PT30S", 30_000)]
    [InlineData("PT0.2S", 200)]
    [InlineData("PT1M30S", 90_000)]
    [InlineData("P1DT2H", 93_600_000)]
    [InlineData("pt10s", 10_000)]
    public void Parses_go_and_iso_durations(string text, long expectedMilliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("30 s")]
    [InlineData("s")]
    [InlineData("10x")]
    [InlineData("1m30")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("PT5")]
    [InlineData("P1Y")]
    [InlineData("-5s")]
    public void Rejects_malformed_durations(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
