using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// <see cref="IMessageSource"/> over our RocketMQ 5 SimpleConsumer: one subscription (topic and
/// TAG or SQL92 filter) for the consumer group, credentials, namespace and TLS from the options.
/// </summary>
internal sealed partial class SimpleConsumerSource(RocketMqOptions options, ILogger<SimpleConsumerSource> logger) : IMessageSource
{
    private SimpleConsumer? consumer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = new ClientConfig.Builder()
            .SetEndpoints(string.Join(';', options.Endpoints))
            .EnableSsl(options.Tls)
            .SetNamespace(options.Namespace ?? string.Empty);
        foreach (var certificate in options.CaCertificates ?? [])
        {
            config.AddTrustedCertificate(certificate);
        }

        if (options.Credentials is { } credentials)
        {
            config.SetCredentialsProvider(new StaticSessionCredentialsProvider(credentials.AccessKey, credentials.SecretKey, credentials.SecurityToken));
        }

        var filter = new FilterExpression(options.FilterExpression, options.FilterType == FilterType.Sql92 ? ExpressionType.Sql92 : ExpressionType.Tag);
        consumer = await new SimpleConsumer.Builder()
            .SetClientConfig(config.Build())
            .SetConsumerGroup(options.ConsumerGroup)
            .SetAwaitDuration(options.AwaitDuration)
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { [options.Topic] = filter })
            .BuildAsync(cancellationToken);
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
    }

    private SimpleConsumer Consumer => consumer ?? throw new InvalidOperationException("the consumer is not started");

    [LoggerMessage(Level = LogLevel.Debug, Message = "connected to RocketMQ as client {ClientId}")]
    private partial void LogConnected(string clientId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ack of message {MessageId} refused: {Reason}")]
    private partial void LogAckRefused(string messageId, string? reason);
}
