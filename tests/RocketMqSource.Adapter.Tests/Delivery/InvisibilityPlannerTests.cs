using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Tests.Delivery;

public class InvisibilityPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Invisible = TimeSpan.FromSeconds(30);

    [Fact]
    public void No_extension_while_the_work_ahead_fits_with_margin() =>
        Assert.Null(InvisibilityPlanner.ExtensionNeeded(Now, Now.AddSeconds(30), TimeSpan.FromSeconds(10), Invisible));

    [Fact]
    public void Extends_to_the_invisible_duration_when_the_next_attempt_could_outlast_it() =>
        Assert.Equal(Invisible, InvisibilityPlanner.ExtensionNeeded(Now, Now.AddSeconds(12), TimeSpan.FromSeconds(10), Invisible));

    [Fact]
    public void Extends_beyond_the_invisible_duration_for_a_long_backoff()
    {
        // A 60s backoff plus a 10s attempt needs 70s, plus the 5s margin.
        Assert.Equal(TimeSpan.FromSeconds(75), InvisibilityPlanner.ExtensionNeeded(Now, Now.AddSeconds(25), TimeSpan.FromSeconds(70), Invisible));
    }

    [Fact]
    public void Extends_a_lapsed_lease() =>
        Assert.Equal(Invisible, InvisibilityPlanner.ExtensionNeeded(Now, Now.AddSeconds(-1), TimeSpan.FromSeconds(1), Invisible));

    [Theory]
    [InlineData(10, 2.5)]
    [InlineData(30, 5)]
    [InlineData(3600, 5)]
    public void Margin_is_a_quarter_of_the_duration_up_to_five_seconds(double invisibleSeconds, double marginSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(marginSeconds), InvisibilityPlanner.SafetyMargin(TimeSpan.FromSeconds(invisibleSeconds)));

    [Fact]
    public void The_margin_itself_triggers_an_extension()
    {
        // 10s of work, 14s left, margin 5s: 15s needed.
        Assert.NotNull(InvisibilityPlanner.ExtensionNeeded(Now, Now.AddSeconds(14), TimeSpan.FromSeconds(10), Invisible));
        Assert.Null(InvisibilityPlanner.ExtensionNeeded(Now, Now.AddSeconds(15), TimeSpan.FromSeconds(10), Invisible));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(300)]
    public void With_the_default_sink_timeout_a_first_attempt_soon_after_receive_needs_no_extension(double invisibleSeconds)
    {
        // Received at Now; the first attempt starts a moment later (scheduling), well within one margin.
        var invisible = TimeSpan.FromSeconds(invisibleSeconds);
        var firstAttempt = Now + (InvisibilityPlanner.SafetyMargin(invisible) / 2);
        Assert.Null(InvisibilityPlanner.ExtensionNeeded(firstAttempt, Now + invisible, AdapterOptionsParser.DefaultSinkTimeout(invisible), invisible));
    }
}
