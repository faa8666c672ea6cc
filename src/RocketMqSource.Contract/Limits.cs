using System.Globalization;

namespace RocketMqSource.Contract;

/// <summary>
/// The bounds and defaults of the consumer and delivery settings: the controller refuses a spec
/// outside them, the adapter refuses such a variable, and the CRD schema states the same numbers
/// (a test reads config/300-rocketmqsource.yaml against this class).
/// </summary>
public static class Limits
{
    /// <summary>Messages per receive; the proxy caps a batch at 32 (apache/rocketmq ProxyConfig).</summary>
    public static readonly IntRange BatchSize = new(1, 32, 32);

    /// <summary>Messages the adapter holds at once.</summary>
    public static readonly IntRange MaxInFlight = new(1, 4096, 64);

    /// <summary>Retries after the first attempt (Knative's delivery.retry).</summary>
    public static readonly IntRange Retry = new(0, 100, 3);

    /// <summary>The proxy refuses an invisible duration outside 10s–12h (ReceiveMessage: ILLEGAL_INVISIBLE_TIME).</summary>
    public static readonly DurationRange InvisibleDuration = new(TimeSpan.FromSeconds(10), TimeSpan.FromHours(12), TimeSpan.FromSeconds(30));

    /// <summary>Long-polling time of a receive; the proxy's own cap is 20s.</summary>
    public static readonly DurationRange AwaitDuration = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20));

    /// <summary>
    /// Knative's delivery.backoffDelay (ISO-8601 in the spec): no upper bound, as in Knative's
    /// delivery spec; the adapter waits at most an hour before any one retry whatever it says.
    /// </summary>
    public static readonly DurationRange BackoffDelay = new(TimeSpan.Zero, TimeSpan.MaxValue, TimeSpan.FromMilliseconds(200));
}

/// <summary>Whole numbers from <see cref="Min"/> to <see cref="Max"/>, <see cref="Default"/> when unset.</summary>
public sealed record IntRange(int Min, int Max, int Default)
{
    public bool Contains(int value) => value >= Min && value <= Max;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"between {Min} and {Max}");
}

/// <summary>Durations from <see cref="Min"/> to <see cref="Max"/>, <see cref="Default"/> when unset.</summary>
public sealed record DurationRange(TimeSpan Min, TimeSpan Max, TimeSpan Default)
{
    public bool Contains(TimeSpan value) => value >= Min && value <= Max;

    public override string ToString() =>
        Max == TimeSpan.MaxValue ? $"at least {Durations.Format(Min)}" : $"between {Durations.Format(Min)} and {Durations.Format(Max)}";
}

/// <summary>The words of the enumerated settings, as the CRD spells them; the adapter also takes them in any case.</summary>
public static class SettingWords
{
    public const string TagFilter = "TAG";
    public const string Sql92Filter = "SQL92";
    public const string Ordered = "ordered";
    public const string Unordered = "unordered";
    public const string ExponentialBackoff = "exponential";
    public const string LinearBackoff = "linear";

    /// <summary>A TAG filter's expression that matches every message.</summary>
    public const string AllTags = "*";

    public static IReadOnlyList<string> FilterTypes { get; } = [TagFilter, Sql92Filter];

    public static IReadOnlyList<string> Orderings { get; } = [Ordered, Unordered];

    public static IReadOnlyList<string> BackoffPolicies { get; } = [ExponentialBackoff, LinearBackoff];
}
