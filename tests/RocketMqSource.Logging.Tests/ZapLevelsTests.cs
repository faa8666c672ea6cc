using Microsoft.Extensions.Logging;

namespace RocketMqSource.Logging.Tests;

/// <summary>zap's level names (go.uber.org/zap zapcore/level.go, as config-logging spells them) and .NET's, both ways.</summary>
public class ZapLevelsTests
{
    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("", LogLevel.Information)]
    [InlineData(" WARN ", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("dpanic", LogLevel.Critical)]
    [InlineData("panic", LogLevel.Critical)]
    [InlineData("fatal", LogLevel.Critical)]
    public void Zap_names_map_to_dotnet_levels(string zap, LogLevel expected) => Assert.Equal(expected, ZapLevels.Parse(zap));

    [Theory]
    [InlineData("warning")]
    [InlineData("trace")]
    [InlineData("verbose")]
    public void Other_words_are_not_levels(string text) => Assert.Null(ZapLevels.Parse(text));

    [Fact]
    public void Every_dotnet_level_written_reads_back_as_a_level_at_least_as_severe()
    {
        foreach (var level in Enum.GetValues<LogLevel>().Where(l => l != LogLevel.None))
        {
            var name = ZapLevels.Name(level);
            Assert.Contains(name, ZapLevels.Known.Split(", "));
            Assert.True(ZapLevels.Parse(name) >= level, $"{level} is written as {name}");
        }
    }
}
