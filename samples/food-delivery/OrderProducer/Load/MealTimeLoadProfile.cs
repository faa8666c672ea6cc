namespace FoodDelivery.OrderProducer.Load;

/// <summary>
/// A food-delivery day compressed into <see cref="Duration"/>: quiet, then breakfast, lunch and
/// dinner peaks, quiet in between and at the end. Each meal is a raised-cosine bump (smooth, and
/// exactly zero outside its window, so the quiet gaps are long enough for Knative to scale the
/// order service to zero). Pure: the rate and the expected order count are functions of time.
/// </summary>
public sealed class MealTimeLoadProfile
{
    /// <summary>Where each meal peaks, as a fraction of the run, and its height relative to the peak rate.</summary>
    public static readonly IReadOnlyList<Meal> Meals =
    [
        new("breakfast", 0.20, 0.4),
        new("lunch", 0.50, 1.0),
        new("dinner", 0.80, 0.8),
    ];

    /// <summary>Half the width of each meal window, as a fraction of the run.</summary>
    public const double MealHalfWidth = 0.06;

    public MealTimeLoadProfile(double peakRate, TimeSpan duration, double quietRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(peakRate);
        ArgumentOutOfRangeException.ThrowIfNegative(quietRate);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        PeakRate = peakRate;
        QuietRate = quietRate;
        Duration = duration;
    }

    /// <summary>Orders per second at the top of lunch.</summary>
    public double PeakRate { get; }

    /// <summary>Orders per second outside meals (0 lets the service scale to zero).</summary>
    public double QuietRate { get; }

    public TimeSpan Duration { get; }

    /// <summary>Orders per second at time <paramref name="elapsed"/> into the run (0 after the end).</summary>
    public double RateAt(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero || elapsed > Duration)
        {
            return 0;
        }

        var x = elapsed / Duration;
        var rate = QuietRate;
        foreach (var meal in Meals)
        {
            var u = x - meal.Center;
            if (Math.Abs(u) < MealHalfWidth)
            {
                rate += PeakRate * meal.Height * (1 + Math.Cos(Math.PI * u / MealHalfWidth)) / 2;
            }
        }

        return rate;
    }

    /// <summary>Orders expected by <paramref name="elapsed"/>: the integral of the rate from the start.</summary>
    public double ExpectedOrdersBy(TimeSpan elapsed)
    {
        var clamped = elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed > Duration ? Duration : elapsed;
        var seconds = Duration.TotalSeconds;
        var x = clamped / Duration;
        var orders = QuietRate * clamped.TotalSeconds;
        foreach (var meal in Meals)
        {
            orders += PeakRate * meal.Height * seconds * BumpIntegral(x - meal.Center);
        }

        return orders;
    }

    /// <summary>Orders in the whole run.</summary>
    public double TotalExpectedOrders => ExpectedOrdersBy(Duration);

    /// <summary>The integral of (1 + cos(pi u / h)) / 2 from -h to u, for the bump centred at 0.</summary>
    private static double BumpIntegral(double u)
    {
        const double h = MealHalfWidth;
        if (u <= -h)
        {
            return 0;
        }

        if (u >= h)
        {
            return h;
        }

        return ((u + h) + (h / Math.PI) * Math.Sin(Math.PI * u / h)) / 2;
    }
}

/// <summary>A meal peak: its name, where it peaks (fraction of the run) and its height (fraction of the peak rate).</summary>
public sealed record Meal(string Name, double Center, double Height);
