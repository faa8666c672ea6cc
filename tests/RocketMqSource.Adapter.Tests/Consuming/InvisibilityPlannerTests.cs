using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;

namespace RocketMqSource.Adapter.Tests.Consuming;

public class InvisibilityPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    [Fact]
    public void No_renewal_while_more_than_two_margins_are_left() =>
        Assert.False(InvisibilityPlanner.RenewalDue(Now, Now.AddSeconds(10), Margin));

    [Fact]
    public void Renews_when_it_could_lapse_before_the_check_after_next()
    {
        Assert.True(InvisibilityPlanner.RenewalDue(Now, Now.AddSeconds(9.9), Margin));
        Assert.True(InvisibilityPlanner.RenewalDue(Now, Now.AddSeconds(-1), Margin));
    }

    [Theory]
    [InlineData(10, 2.5)]
    [InlineData(30, 5)]
    [InlineData(3600, 5)]
    public void Margin_is_a_quarter_of_the_duration_up_to_five_seconds(double invisibleSeconds, double marginSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(marginSeconds), RocketMqOptions.RenewalMarginFor(TimeSpan.FromSeconds(invisibleSeconds)));

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(300)]
    public void With_the_default_sink_timeout_an_attempt_started_at_receive_ends_before_a_renewal_is_due(double invisibleSeconds)
    {
        var invisible = TimeSpan.FromSeconds(invisibleSeconds);
        var attemptEnds = Now + AdapterOptionsParser.DefaultSinkTimeout(invisible);
        Assert.False(InvisibilityPlanner.RenewalDue(attemptEnds - TimeSpan.FromTicks(1), Now + invisible, RocketMqOptions.RenewalMarginFor(invisible)));
    }
}
