using FoodDelivery.OrderProducer.Load;

namespace RocketMqSource.Samples.Tests.OrderProducer;

public sealed class MealTimeLoadProfileTests
{
    private static readonly TimeSpan Day = TimeSpan.FromMinutes(10);
    private readonly MealTimeLoadProfile _profile = new(peakRate: 50, Day);

    private static TimeSpan At(double fraction) => Day * fraction;

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.10)]
    [InlineData(0.30)]
    [InlineData(0.40)]
    [InlineData(0.65)]
    [InlineData(0.90)]
    [InlineData(1.0)]
    public void It_is_quiet_before_between_and_after_meals(double fraction) =>
        Assert.Equal(0, _profile.RateAt(At(fraction)));

    [Fact]
    public void Lunch_is_the_peak_breakfast_and_dinner_are_lower()
    {
        Assert.Equal(50, _profile.RateAt(At(0.5)), 9);
        Assert.Equal(20, _profile.RateAt(At(0.2)), 9);
        Assert.Equal(40, _profile.RateAt(At(0.8)), 9);
        Assert.True(_profile.RateAt(At(0.47)) is > 20 and < 50);
    }

    [Fact]
    public void The_quiet_gaps_last_long_enough_for_a_60s_window_to_scale_to_zero_in_a_15_minute_day()
    {
        var day = new MealTimeLoadProfile(50, TimeSpan.FromMinutes(15));
        var breakfastEnds = TimeSpan.FromMinutes(15) * (0.20 + MealTimeLoadProfile.MealHalfWidth);
        var lunchStarts = TimeSpan.FromMinutes(15) * (0.50 - MealTimeLoadProfile.MealHalfWidth);

        Assert.True(lunchStarts - breakfastEnds >= TimeSpan.FromMinutes(2.5));
        for (var t = breakfastEnds; t <= lunchStarts; t += TimeSpan.FromSeconds(1))
        {
            Assert.Equal(0, day.RateAt(t));
        }
    }

    [Fact]
    public void The_quiet_rate_fills_the_gaps_and_adds_to_the_peaks()
    {
        var profile = new MealTimeLoadProfile(50, Day, quietRate: 2);

        Assert.Equal(2, profile.RateAt(At(0.35)));
        Assert.Equal(52, profile.RateAt(At(0.5)), 9);
        Assert.Equal(0, profile.RateAt(Day + TimeSpan.FromSeconds(1)));
        Assert.Equal(0, profile.RateAt(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void The_total_is_each_meal_s_area_summed()
    {
        // Each raised-cosine meal covers peak x height x (2h x D) / 2 orders.
        var expected = 50 * Day.TotalSeconds * MealTimeLoadProfile.MealHalfWidth * (0.4 + 1.0 + 0.8);

        Assert.Equal(expected, _profile.TotalExpectedOrders, 6);
        Assert.Equal(expected + 3 * Day.TotalSeconds, new MealTimeLoadProfile(50, Day, quietRate: 3).TotalExpectedOrders, 6);
    }

    [Fact]
    public void Expected_orders_are_the_integral_of_the_rate()
    {
        var profile = new MealTimeLoadProfile(50, Day, quietRate: 0.5);
        var step = TimeSpan.FromMilliseconds(100);
        var integral = 0.0;
        for (var t = TimeSpan.Zero; t < Day; t += step)
        {
            integral += (profile.RateAt(t) + profile.RateAt(t + step)) / 2 * step.TotalSeconds;
            Assert.Equal(integral, profile.ExpectedOrdersBy(t + step), tolerance: 0.01);
        }
    }

    [Fact]
    public void Expected_orders_never_decrease_and_stop_growing_after_the_end()
    {
        var previous = -1.0;
        for (var t = TimeSpan.Zero; t <= Day; t += TimeSpan.FromSeconds(1))
        {
            var orders = _profile.ExpectedOrdersBy(t);
            Assert.True(orders >= previous, $"fell at {t}");
            previous = orders;
        }

        Assert.Equal(_profile.TotalExpectedOrders, _profile.ExpectedOrdersBy(Day * 2));
        Assert.Equal(0, _profile.ExpectedOrdersBy(TimeSpan.FromSeconds(-5)));
    }

    [Fact]
    public void Rates_and_durations_must_make_sense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MealTimeLoadProfile(0, Day));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MealTimeLoadProfile(10, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MealTimeLoadProfile(10, Day, quietRate: -1));
    }
}
