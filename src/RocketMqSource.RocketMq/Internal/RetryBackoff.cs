using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>
/// The delay before retry n (1 = the first retry) under the server's backoff policy:
/// exponential (initial × multiplier^(n-1), capped at max) or a customised list (pure).
/// </summary>
internal sealed class RetryBackoff
{
    /// <summary>Used until the server's settings arrive (the proxy's producer defaults).</summary>
    public static readonly RetryBackoff Default = Exponential(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), 2);

    private readonly Func<int, TimeSpan> _delay;

    private RetryBackoff(Func<int, TimeSpan> delay)
    {
        _delay = delay;
    }

    public static RetryBackoff Exponential(TimeSpan initial, TimeSpan max, double multiplier) => new(retry =>
    {
        var factor = Math.Pow(multiplier <= 0 ? 1 : multiplier, Math.Max(0, retry - 1));
        var ticks = initial.Ticks * factor;
        return ticks >= max.Ticks || double.IsInfinity(ticks) ? max : TimeSpan.FromTicks((long)ticks);
    });

    public static RetryBackoff Customized(IReadOnlyList<TimeSpan> delays) => new(retry =>
        delays.Count == 0 ? TimeSpan.Zero : delays[Math.Clamp(retry - 1, 0, delays.Count - 1)]);

    public static RetryBackoff FromProtocol(RetryPolicy? policy) => policy?.StrategyCase switch
    {
        RetryPolicy.StrategyOneofCase.ExponentialBackoff => Exponential(
            policy.ExponentialBackoff.Initial?.ToTimeSpan() ?? TimeSpan.Zero,
            policy.ExponentialBackoff.Max?.ToTimeSpan() ?? TimeSpan.Zero,
            policy.ExponentialBackoff.Multiplier),
        RetryPolicy.StrategyOneofCase.CustomizedBackoff => Customized(
            [.. policy.CustomizedBackoff.Next.Select(d => d.ToTimeSpan())]),
        _ => Default,
    };

    public TimeSpan DelayBeforeRetry(int retry) => _delay(retry);
}
