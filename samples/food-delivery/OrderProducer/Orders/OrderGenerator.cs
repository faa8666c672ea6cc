namespace FoodDelivery.OrderProducer.Orders;

/// <summary>
/// Makes plausible orders from a seed: the same seed and clock readings give the same orders, so
/// a run can be reproduced. Not thread-safe; the runner calls it from one loop.
/// </summary>
internal sealed class OrderGenerator
{
    private static readonly char[] MobilePrefixes = ['3', '5', '7', '8', '9'];
    private readonly Random _random;
    private readonly string _runPrefix;
    private readonly double _cancelRatio;
    private long _sequence;

    public OrderGenerator(int seed, double cancelRatio = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cancelRatio);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cancelRatio, 1);
        _random = new Random(seed);
        _cancelRatio = cancelRatio;
        _runPrefix = _random.Next(0x100000, 0xFFFFFF).ToString("X6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The next order, charged at <paramref name="now"/>; payment finishes 0.5 to 5 seconds later.</summary>
    public GeneratedOrder Next(DateTimeOffset now)
    {
        var sequence = ++_sequence;
        var dish = Menu.Dishes[_random.Next(Menu.Dishes.Count)];
        var quantity = _random.Next(1, 4);
        var status = _random.NextDouble() < _cancelRatio ? GeneratedOrder.Cancelled : GeneratedOrder.Paid;
        var finish = now + TimeSpan.FromMilliseconds(_random.Next(500, 5001));
        return new GeneratedOrder(
            OrderId: $"ORD-{_runPrefix}-{sequence:D7}",
            OrderStatus: status,
            UserPhoneNo: MobileNumber(),
            ProdId: dish.ProdId,
            ProdName: dish.ProdName,
            ChargeMoney: dish.Price * quantity,
            ChargeTime: now,
            FinishTime: finish,
            Channel: Menu.Channels[_random.Next(Menu.Channels.Count)]);
    }

    /// <summary>An 11-digit mobile number (1, a network digit, 9 more digits).</summary>
    private string MobileNumber()
    {
        Span<char> digits = stackalloc char[11];
        digits[0] = '1';
        digits[1] = MobilePrefixes[_random.Next(MobilePrefixes.Length)];
        for (var i = 2; i < digits.Length; i++)
        {
            digits[i] = (char)('0' + _random.Next(10));
        }

        return new string(digits);
    }
}
