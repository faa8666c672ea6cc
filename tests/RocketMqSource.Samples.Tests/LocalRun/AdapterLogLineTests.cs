using FoodDelivery.LocalRun.Processes;

namespace RocketMqSource.Samples.Tests.LocalRun;

public sealed class AdapterLogLineTests
{
    private const string Warning =
        """{"timestamp":"2026-11-21T18:39:28.368Z","level":"warn","logger":"ConsumeLoop","message":"connecting to RocketMQ failed; retrying in 1s","delaySeconds":1,"error":"RocketMqSource.RocketMq.UnauthorizedException: UNAUTHORIZED (40100): signature verification failed\n   at StatusMapper.ThrowIfNotOk()"}""";

    private const string Info = """{"timestamp":"2026-11-21T18:39:27.262Z","level":"info","logger":"ConsumeLoop","message":"consuming topic=orders group=order-source"}""";

    [Fact]
    public void A_json_line_is_shortened_to_level_message_and_the_first_line_of_its_error()
    {
        Assert.Equal(
            "warn: connecting to RocketMQ failed; retrying in 1s: RocketMqSource.RocketMq.UnauthorizedException: UNAUTHORIZED (40100): signature verification failed",
            AdapterLogLine.Summarize(Warning));
        Assert.Equal("info: consuming topic=orders group=order-source", AdapterLogLine.Summarize(Info));
    }

    [Fact]
    public void Lines_that_are_not_json_are_kept_as_they_are_and_count_as_problems()
    {
        const string configError = "invalid configuration: K_SINK: is required";

        Assert.Equal(configError, AdapterLogLine.Summarize(configError));
        Assert.Equal("{not json", AdapterLogLine.Summarize("{not json"));
        Assert.True(AdapterLogLine.IsProblem(configError));
    }

    [Fact]
    public void Warnings_and_errors_are_problems_info_is_not()
    {
        Assert.True(AdapterLogLine.IsProblem(Warning));
        Assert.True(AdapterLogLine.IsProblem(Info.Replace("\"info\"", "\"error\"", StringComparison.Ordinal)));
        Assert.False(AdapterLogLine.IsProblem(Info));
    }
}
