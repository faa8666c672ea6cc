using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Tests.Delivery;

/// <summary>The pure decision of a failed message's end (docs/adapter.md "Every message ends").</summary>
public class MessageEndsTests
{
    [Theory]
    // Failures that will repeat: a dead letter at once, whatever the delivery attempt; without a dead-letter sink, back to RocketMQ.
    [InlineData("SinkRejected", 1, true, "DeadLettered")]
    [InlineData("RetriesExhausted", 1, true, "DeadLettered")]
    [InlineData("Unconvertible", 1, true, "DeadLettered")]
    [InlineData("Unencodable", 1, true, "DeadLettered")]
    [InlineData("SinkRejected", 1, false, "HandedBack")]
    [InlineData("Unconvertible", 5, false, "HandedBack")]
    // An unexpected exception is retried through RocketMQ until the third delivery, then treated the same way.
    [InlineData("Unexpected", 1, true, "HandedBack")]
    [InlineData("Unexpected", 2, true, "HandedBack")]
    [InlineData("Unexpected", 3, true, "DeadLettered")]
    [InlineData("Unexpected", 9, true, "DeadLettered")]
    [InlineData("Unexpected", 3, false, "HandedBack")]
    // Never a dead letter: the sink took it, its group goes back with an earlier message, the dead-letter sink refused, or shutdown.
    [InlineData("Accepted", 1, true, "Delivered")]
    [InlineData("GroupOrder", 1, true, "HandedBack")]
    [InlineData("DeadLetterSinkFailed", 1, true, "HandedBack")]
    [InlineData("Shutdown", 1, true, "Abandoned")]
    public void Decides_the_end_from_the_failure_the_delivery_attempt_and_the_dead_letter_sink(string failure, int deliveryAttempt, bool deadLetterSink, string end) =>
        Assert.Equal(Enum.Parse<End>(end), MessageEnds.Decide(Enum.Parse<EndReason>(failure), deliveryAttempt, deadLetterSink));

    [Fact]
    public void Every_end_and_reason_has_its_own_label()
    {
        Assert.Equal(Enum.GetValues<End>().Length, Enum.GetValues<End>().Select(MessageEnds.Label).Distinct().Count());
        Assert.Equal(Enum.GetValues<EndReason>().Length, Enum.GetValues<EndReason>().Select(MessageEnds.Label).Distinct().Count());
    }
}
