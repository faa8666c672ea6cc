namespace FoodDelivery.OrderProducer;

/// <summary>One order RocketMQ accepted: when its send started and when the proxy answered.</summary>
public sealed record SentOrder(string OrderId, string MessageId, string OrderStatus, DateTimeOffset SendStartedAt, DateTimeOffset AcknowledgedAt, string? TraceParent = null);

/// <summary>A send that failed after the client's own retries.</summary>
public sealed record FailedOrder(string OrderId, DateTimeOffset SendStartedAt, string Error);

/// <summary>What a run sent.</summary>
public sealed record ProducerRunResult(long Sent, long Failed, TimeSpan Elapsed, IReadOnlyList<SentOrder> Orders, IReadOnlyList<FailedOrder> Failures);

/// <summary>Reported once a second while running.</summary>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="TargetRate">Orders per second the profile asks for now.</param>
/// <param name="SentPerSecond">Orders acknowledged during the last second.</param>
/// <param name="Sent">Orders acknowledged so far.</param>
/// <param name="Failed">Orders that failed so far.</param>
public sealed record ProducerProgress(TimeSpan Elapsed, double TargetRate, long SentPerSecond, long Sent, long Failed);
