using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace RocketMqSource.Contract.Tests;

/// <summary>
/// The one duration parser: Go's time.ParseDuration grammar (go/src/time/format.go ParseDuration:
/// decimal numbers with a unit each, in any order, or "0") and Knative's ISO-8601 delivery durations.
/// </summary>
public class DurationsTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("30ms5s", 5_030)]
    [InlineData(".5s", 500)]
    [InlineData("1.s", 1_000)]
    [InlineData("1000us", 1)]
    [InlineData("1000µs", 1)]
    [InlineData("1000000ns", 1)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("PT30S", 30_000)]
    [InlineData("PT0.2S", 200)]
    [InlineData("PT1M30.5S", 90_500)]
    [InlineData("P1DT2H", 93_600_000)]
    [InlineData("pt10s", 10_000)]
    public void Parses_go_and_iso_durations(string text, long expectedMilliseconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("15")]
    [InlineData("30 s")]
    [InlineData("s")]
    [InlineData("m")]
    [InlineData("10x")]
    [InlineData("5sm")]
    [InlineData("1m30")]
    [InlineData(".s")]
    [InlineData("1..5s")]
    [InlineData("-5s")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("PT5")]
    [InlineData("P1Y")]
    [InlineData("PT-1S")]
    [InlineData("99999999999999999999999999999h")]
    [InlineData("PT99999999999999999999S")]
    public void Rejects_malformed_or_overlong_durations(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData("30s")]
    [InlineData("PT30S")]
    public void Each_spelling_has_its_own_entry_point(string text)
    {
        Assert.NotEqual(Durations.TryParseGo(text, out _), Durations.TryParseIso(text, out _));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(200, "200ms")]
    [InlineData(10_000, "10s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(43_200_000, "12h")]
    [InlineData(3_600_100, "1h0.1s")]
    public void Formats_the_exact_value_in_the_shortest_go_spelling(long milliseconds, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Timeouts_round_up_to_whole_seconds()
    {
        Assert.Equal(3, Durations.CeilingSeconds(TimeSpan.FromSeconds(2.1)));
        Assert.Equal(2, Durations.CeilingSeconds(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Any_duration_formatted_parses_back_to_itself()
    {
        var durations = from days in Gen.Choose(0, 400)
                        from ticks in Gen.Choose(0, int.MaxValue)
                        from scale in Gen.Elements(1L, 10L, 1000L, TimeSpan.TicksPerDay / int.MaxValue)
                        select TimeSpan.FromDays(days) + TimeSpan.FromTicks(ticks * scale % TimeSpan.TicksPerDay);
        Prop.ForAll(Arb.From(durations), duration =>
        {
            Assert.True(Durations.TryParseGo(Durations.Format(duration), out var parsed), Durations.Format(duration));
            Assert.Equal(duration, parsed);
        }).Check(Config);
    }

    [Fact]
    public void A_go_duration_is_the_sum_of_its_parts_in_any_order()
    {
        var units = new (string Unit, decimal Ticks)[] { ("h", TimeSpan.TicksPerHour), ("m", TimeSpan.TicksPerMinute), ("s", TimeSpan.TicksPerSecond), ("ms", TimeSpan.TicksPerMillisecond), ("us", 10), ("ns", 0.01m) };
        var parts = from whole in Gen.Choose(0, 5000)
                    from fraction in Gen.Elements("", ".5", ".25", ".125")
                    from unit in Gen.Elements(units)
                    select (Text: whole.ToString(CultureInfo.InvariantCulture) + fraction + unit.Unit, Ticks: decimal.Parse(whole + (fraction.Length > 0 ? fraction : ".0"), CultureInfo.InvariantCulture) * unit.Ticks);
        Prop.ForAll(Arb.From(parts.NonEmptyListOf()), list =>
        {
            var text = string.Concat(list.Select(p => p.Text));
            Assert.True(Durations.TryParseGo(text, out var parsed), text);
            Assert.Equal(TimeSpan.FromTicks((long)decimal.Round(list.Sum(p => p.Ticks))), parsed);
        }).Check(Config);
    }

    [Fact]
    public void An_iso_duration_is_days_hours_minutes_and_seconds()
    {
        var durations = from days in Gen.Choose(0, 3)
                        from hours in Gen.Choose(0, 30)
                        from minutes in Gen.Choose(0, 90)
                        from millis in Gen.Choose(0, 100_000)
                        select (days, hours, minutes, seconds: millis / 1000m);
        Prop.ForAll(Arb.From(durations), d =>
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"P{d.days}DT{d.hours}H{d.minutes}M{d.seconds}S");
            Assert.True(Durations.TryParseIso(text, out var parsed), text);
            Assert.Equal(TimeSpan.FromDays(d.days) + TimeSpan.FromHours(d.hours) + TimeSpan.FromMinutes(d.minutes) + TimeSpan.FromMilliseconds((double)(d.seconds * 1000)), parsed);
        }).Check(Config);
    }
}
