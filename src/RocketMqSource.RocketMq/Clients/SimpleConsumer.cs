using RocketMqSource.RocketMq.Internal;

namespace RocketMqSource.RocketMq.Clients;

/// <summary>
/// A RocketMQ 5 simple consumer (POP semantics): receive a batch, then acknowledge each message or
/// change its invisible duration. Messages not acknowledged come back after their invisible duration.
/// Create with <see cref="Builder"/>; dispose to leave the group cleanly.
/// </summary>
public sealed class SimpleConsumer : IAsyncDisposable
{
    private readonly SimpleConsumerCore _core;

    private SimpleConsumer(SimpleConsumerCore core)
    {
        _core = core;
    }

    public string ConsumerGroup => _core.ConsumerGroup;

    /// <summary>This client's x-mq-client-id.</summary>
    public string ClientId => _core.ClientId;

    /// <summary>Current subscriptions by topic.</summary>
    public IReadOnlyDictionary<string, FilterExpression> Subscriptions => _core.Subscriptions;

    internal SimpleConsumerCore Core => _core;

    /// <summary>Adds or replaces the subscription of a topic (the topic must exist).</summary>
    public Task SubscribeAsync(string topic, FilterExpression filterExpression, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalid(MessageValidator.ValidateTopic(topic));
        ArgumentNullException.ThrowIfNull(filterExpression);
        return _core.SubscribeAsync(topic, filterExpression, cancellationToken);
    }

    public Task UnsubscribeAsync(string topic, CancellationToken cancellationToken = default) =>
        _core.UnsubscribeAsync(topic, cancellationToken);

    /// <summary>
    /// Long-polls for up to <paramref name="maxMessageNum"/> messages (waiting at most the await
    /// duration). An empty list means none arrived in time. Disposing the consumer ends a waiting
    /// receive at once with <see cref="ObjectDisposedException"/>.
    /// </summary>
    public Task<IReadOnlyList<MessageView>> ReceiveAsync(int maxMessageNum, TimeSpan invisibleDuration, CancellationToken cancellationToken = default) =>
        _core.ReceiveAsync(maxMessageNum, invisibleDuration, cancellationToken);

    /// <summary>Acknowledges one message; throws the typed <see cref="ClientException"/> when the proxy refuses.</summary>
    public Task AckAsync(MessageView messageView, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageView);
        return _core.AckAsync(messageView, cancellationToken);
    }

    /// <summary>Acknowledges many messages with one AckMessage call per topic; one result per message, in order.</summary>
    public Task<IReadOnlyList<AckResult>> AckAsync(IReadOnlyCollection<MessageView> messageViews, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageViews);
        return messageViews.Count == 0
            ? Task.FromResult<IReadOnlyList<AckResult>>([])
            : _core.AckBatchAsync(messageViews, cancellationToken);
    }

    /// <summary>
    /// Makes the message invisible for <paramref name="invisibleDuration"/> from now. Returns the
    /// new receipt handle, which <paramref name="messageView"/> now carries for later acks.
    /// </summary>
    public Task<string> ChangeInvisibleDurationAsync(MessageView messageView, TimeSpan invisibleDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageView);
        ArgumentOutOfRangeException.ThrowIfLessThan(invisibleDuration, TimeSpan.Zero);
        return _core.ChangeInvisibleDurationAsync(messageView, invisibleDuration, cancellationToken);
    }

    /// <summary>Stops timers, tells the proxy the client leaves (bounded wait) and closes the streams.</summary>
    public ValueTask DisposeAsync() => _core.DisposeAsync();

    private static void ThrowIfInvalid(ValidationError? error)
    {
        if (error is not null)
        {
            throw new ArgumentException(error.Reason);
        }
    }

    public sealed class Builder
    {
        private readonly Dictionary<string, FilterExpression> _subscriptions = new(StringComparer.Ordinal);
        private ClientConfig? _config;
        private string? _group;
        private TimeSpan _awaitDuration = TimeSpan.FromSeconds(30);
        private ClientTimings _timings = ClientTimings.Default;

        public Builder SetClientConfig(ClientConfig clientConfig)
        {
            _config = clientConfig ?? throw new ArgumentNullException(nameof(clientConfig));
            return this;
        }

        public Builder SetConsumerGroup(string consumerGroup)
        {
            ThrowIfInvalid(MessageValidator.ValidateConsumerGroup(consumerGroup));
            _group = consumerGroup;
            return this;
        }

        /// <summary>How long a receive waits for messages (long polling; the proxy accepts 5–20 s, default 30 s is capped by it).</summary>
        public Builder SetAwaitDuration(TimeSpan awaitDuration)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(awaitDuration, TimeSpan.Zero);
            _awaitDuration = awaitDuration;
            return this;
        }

        /// <summary>Topics to consume with their filters.</summary>
        public Builder SetSubscriptionExpression(IReadOnlyDictionary<string, FilterExpression> subscriptionExpressions)
        {
            ArgumentNullException.ThrowIfNull(subscriptionExpressions);
            _subscriptions.Clear();
            foreach (var (topic, filter) in subscriptionExpressions)
            {
                ThrowIfInvalid(MessageValidator.ValidateTopic(topic));
                _subscriptions[topic] = filter ?? throw new ArgumentException($"topic '{topic}' has no filter expression");
            }

            return this;
        }

        /// <summary>Background schedules; tests shorten them.</summary>
        internal Builder SetTimings(ClientTimings timings)
        {
            _timings = timings;
            return this;
        }

        /// <summary>Queries routes, completes the settings handshake and starts the background timers.</summary>
        public async Task<SimpleConsumer> BuildAsync(CancellationToken cancellationToken = default)
        {
            var config = _config ?? throw new InvalidOperationException("client config is required (SetClientConfig)");
            var group = _group ?? throw new InvalidOperationException("consumer group is required (SetConsumerGroup)");
            if (_subscriptions.Count == 0)
            {
                throw new InvalidOperationException("at least one subscription is required (SetSubscriptionExpression)");
            }

            var core = new SimpleConsumerCore(config, group, _awaitDuration, _subscriptions, _timings);
            await core.StartAsync(cancellationToken).ConfigureAwait(false);
            return new SimpleConsumer(core);
        }
    }
}
