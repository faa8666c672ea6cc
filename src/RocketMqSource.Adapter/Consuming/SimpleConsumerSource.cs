using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// <see cref="IMessageSource"/> over our RocketMQ 5 SimpleConsumer: one subscription (topic and
/// TAG or SQL92 filter) for the consumer group, credentials, namespace and TLS from the options;
/// the connection may have begun opening before the host was built.
/// </summary>
internal sealed partial class SimpleConsumerSource(RocketMqConnection connection, ILogger<SimpleConsumerSource> logger) : IMessageSource
{
    private SimpleConsumer? consumer;

    public SimpleConsumerSource(RocketMqOptions options, ILogger<SimpleConsumerSource> logger)
        : this(new RocketMqConnection(options), logger)
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        consumer = await connection.OpenAsync(cancellationToken);
        LogConnected(consumer.ClientId);
    }

    public Task<IReadOnlyList<MessageView>> ReceiveAsync(int maxMessages, TimeSpan invisibleDuration, CancellationToken cancellationToken) =>
        Consumer.ReceiveAsync(maxMessages, invisibleDuration, cancellationToken);

    public async Task<IReadOnlyList<MessageView>> AckAsync(IReadOnlyList<MessageView> messages, CancellationToken cancellationToken)
    {
        // The view always holds the newest receipt handle (ChangeInvisibleDuration updates it).
        var results = await Consumer.AckAsync(messages, cancellationToken);
        var refused = new List<MessageView>();
        foreach (var result in results)
        {
            if (!result.IsSuccess)
            {
                LogAckRefused(result.Message.MessageId, result.Error?.Message);
                refused.Add(result.Message);
            }
        }

        return refused;
    }

    public Task ChangeInvisibleDurationAsync(MessageView message, TimeSpan invisibleDuration, CancellationToken cancellationToken) =>
        Consumer.ChangeInvisibleDurationAsync(message, invisibleDuration, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (consumer is not null)
        {
            await consumer.DisposeAsync();
        }

        await connection.DisposeAsync();
    }

    private SimpleConsumer Consumer => consumer ?? throw new InvalidOperationException("the consumer is not started");

    [LoggerMessage(Level = LogLevel.Debug, Message = "connected to RocketMQ as client {ClientId}")]
    private partial void LogConnected(string clientId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ack of message {MessageId} refused: {Reason}")]
    private partial void LogAckRefused(string messageId, string? reason);
}
