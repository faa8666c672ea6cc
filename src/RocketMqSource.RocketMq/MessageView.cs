
namespace RocketMqSource.RocketMq;

/// <summary>A received message. Acknowledge or change its invisibility through the consumer that received it.</summary>
public sealed class MessageView
{
    private string _receiptHandle;

    internal MessageView(
        string messageId,
        string topic,
        byte[] body,
        string? tag,
        IReadOnlyList<string> keys,
        IReadOnlyDictionary<string, string> properties,
        string? messageGroup,
        DateTime? deliveryTimestamp,
        string bornHost,
        DateTime bornTime,
        int deliveryAttempt,
        string receiptHandle,
        EndpointAddress endpoint,
        string? traceContext = null)
    {
        MessageId = messageId;
        Topic = topic;
        Body = body;
        Tag = tag;
        Keys = keys;
        Properties = properties;
        MessageGroup = messageGroup;
        DeliveryTimestamp = deliveryTimestamp;
        BornHost = bornHost;
        BornTime = bornTime;
        DeliveryAttempt = deliveryAttempt;
        _receiptHandle = receiptHandle;
        Endpoint = endpoint;
        TraceContext = traceContext;
    }

    public string MessageId { get; }

    public string Topic { get; }

    public byte[] Body { get; }

    public string? Tag { get; }

    public IReadOnlyList<string> Keys { get; }

    /// <summary>User properties.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    public string? MessageGroup { get; }

    public DateTime? DeliveryTimestamp { get; }

    public string BornHost { get; }

    public DateTime BornTime { get; }

    /// <summary>
    /// RocketMQ's own trace system property (<c>SystemProperties.trace_context</c> in
    /// apache.rocketmq.v2 definition.proto), as the producer's client set it, or null.
    /// </summary>
    public string? TraceContext { get; }

    /// <summary>1 on the first delivery, +1 on every redelivery.</summary>
    public int DeliveryAttempt { get; }

    /// <summary>
    /// The handle that acknowledges this delivery. ChangeInvisibleDuration replaces it; the
    /// view always holds the newest one.
    /// </summary>
    public string ReceiptHandle => Volatile.Read(ref _receiptHandle);

    /// <summary>The broker endpoint that delivered the message (acks go back there).</summary>
    internal EndpointAddress Endpoint { get; }

    internal void UpdateReceiptHandle(string receiptHandle) => Volatile.Write(ref _receiptHandle, receiptHandle);

    public override string ToString() => $"MessageView(MessageId={MessageId}, Topic={Topic}, DeliveryAttempt={DeliveryAttempt})";
}
