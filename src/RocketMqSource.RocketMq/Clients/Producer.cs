using RocketMqSource.RocketMq.Internal;

namespace RocketMqSource.RocketMq.Clients;

/// <summary>
/// A RocketMQ 5 producer: normal, FIFO (message group) and delay (delivery timestamp) messages.
/// Create with <see cref="Builder"/>; dispose when done.
/// </summary>
public sealed class Producer : IAsyncDisposable
{
    private readonly ProducerCore _core;

    private Producer(ProducerCore core)
    {
        _core = core;
    }

    /// <summary>This client's x-mq-client-id.</summary>
    public string ClientId => _core.ClientId;

    internal ProducerCore Core => _core;

    /// <summary>
    /// Validates the message against the proxy's rules (typed <see cref="ClientException"/> before
    /// any call), sends it, and retries throttling/timeouts/unavailability with the server's backoff.
    /// </summary>
    public Task<SendReceipt> SendAsync(Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _core.SendAsync(message, cancellationToken);
    }

    public ValueTask DisposeAsync() => _core.DisposeAsync();

    public sealed class Builder
    {
        private readonly List<string> _topics = [];
        private ClientConfig? _config;
        private int _maxAttempts = 3;
        private MessageIdGenerator _ids = MessageIdGenerator.Shared;
        private ClientTimings _timings = ClientTimings.Default;

        public Builder SetClientConfig(ClientConfig clientConfig)
        {
            _config = clientConfig ?? throw new ArgumentNullException(nameof(clientConfig));
            return this;
        }

        /// <summary>Topics to publish to; their routes are fetched at start (others on first send).</summary>
        public Builder SetTopics(params string[] topics)
        {
            foreach (var topic in topics)
            {
                if (MessageValidator.ValidateTopic(topic) is { } error)
                {
                    throw new ArgumentException(error.Reason, nameof(topics));
                }
            }

            _topics.Clear();
            _topics.AddRange(topics.Distinct(StringComparer.Ordinal));
            return this;
        }

        /// <summary>Attempts per message, the first one included (default 3).</summary>
        public Builder SetMaxAttempts(int maxAttempts)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
            _maxAttempts = maxAttempts;
            return this;
        }

        internal Builder SetTimings(ClientTimings timings)
        {
            _timings = timings;
            return this;
        }

        internal Builder SetMessageIdGenerator(MessageIdGenerator ids)
        {
            _ids = ids;
            return this;
        }

        /// <summary>Queries routes, completes the settings handshake and starts the background timers.</summary>
        public async Task<Producer> BuildAsync(CancellationToken cancellationToken = default)
        {
            var config = _config ?? throw new InvalidOperationException("client config is required (SetClientConfig)");
            var core = new ProducerCore(config, _topics, _maxAttempts, _ids, _timings);
            await core.StartAsync(cancellationToken).ConfigureAwait(false);
            return new Producer(core);
        }
    }
}
