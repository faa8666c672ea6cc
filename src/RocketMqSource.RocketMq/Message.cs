
namespace RocketMqSource.RocketMq;

/// <summary>A message to send. Build with <see cref="Builder"/>.</summary>
public sealed class Message
{
    private Message(Builder builder)
    {
        Topic = builder.TopicValue!;
        Body = builder.BodyValue!;
        Tag = builder.TagValue;
        Keys = [.. builder.KeysValue];
        Properties = new Dictionary<string, string>(builder.PropertiesValue, StringComparer.Ordinal);
        MessageGroup = builder.MessageGroupValue;
        DeliveryTimestamp = builder.DeliveryTimestampValue;
        TraceContext = builder.TraceContextValue;
    }

    public string Topic { get; }

    public byte[] Body { get; }

    public string? Tag { get; }

    public IReadOnlyList<string> Keys { get; }

    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>FIFO message group: messages of one group are consumed in order.</summary>
    public string? MessageGroup { get; }

    /// <summary>When a delay message becomes visible (UTC).</summary>
    public DateTime? DeliveryTimestamp { get; }

    /// <summary>RocketMQ's trace system property (<c>SystemProperties.trace_context</c>), e.g. a W3C traceparent.</summary>
    public string? TraceContext { get; }

    public sealed class Builder
    {
        internal string? TopicValue { get; private set; }

        internal byte[]? BodyValue { get; private set; }

        internal string? TagValue { get; private set; }

        internal List<string> KeysValue { get; } = [];

        internal Dictionary<string, string> PropertiesValue { get; } = new(StringComparer.Ordinal);

        internal string? MessageGroupValue { get; private set; }

        internal DateTime? DeliveryTimestampValue { get; private set; }

        internal string? TraceContextValue { get; private set; }

        public Builder SetTopic(string topic)
        {
            TopicValue = topic;
            return this;
        }

        public Builder SetBody(byte[] body)
        {
            BodyValue = body ?? throw new ArgumentNullException(nameof(body));
            return this;
        }

        public Builder SetTag(string tag)
        {
            TagValue = tag;
            return this;
        }

        public Builder SetKeys(params string[] keys)
        {
            KeysValue.Clear();
            KeysValue.AddRange(keys);
            return this;
        }

        public Builder AddProperty(string key, string value)
        {
            ArgumentNullException.ThrowIfNull(key);
            PropertiesValue[key] = value ?? throw new ArgumentNullException(nameof(value));
            return this;
        }

        public Builder SetMessageGroup(string messageGroup)
        {
            MessageGroupValue = messageGroup;
            return this;
        }

        public Builder SetDeliveryTimestamp(DateTime deliveryTimestamp)
        {
            DeliveryTimestampValue = deliveryTimestamp.Kind == DateTimeKind.Unspecified
                ? DateTime.SpecifyKind(deliveryTimestamp, DateTimeKind.Utc)
                : deliveryTimestamp.ToUniversalTime();
            return this;
        }

        public Builder SetTraceContext(string traceContext)
        {
            TraceContextValue = traceContext;
            return this;
        }

        /// <summary>Builds the message; throws <see cref="ArgumentException"/> when it breaks a proxy rule.</summary>
        public Message Build()
        {
            if (TopicValue is null || BodyValue is null)
            {
                throw new ArgumentException("a message needs a topic and a body");
            }

            var message = new Message(this);
            var error = MessageValidator.ValidateTopic(message.Topic)
                ?? MessageValidator.ValidateBody(message.Body, int.MaxValue)
                ?? MessageValidator.ValidateTag(message.Tag)
                ?? MessageValidator.ValidateKeys(message.Keys)
                ?? MessageValidator.ValidateMessageGroup(message.MessageGroup)
                ?? MessageValidator.ValidateProperties(message.Properties)
                ?? (message.MessageGroup is not null && message.DeliveryTimestamp is not null
                    ? new ValidationError(Protocol.Code.MessagePropertyConflictWithType, "a message cannot have both a message group and a delivery time")
                    : null);
            return error is null ? message : throw new ArgumentException(error.Reason);
        }
    }
}
