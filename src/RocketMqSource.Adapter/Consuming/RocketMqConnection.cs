using RocketMqSource.Adapter.Configuration;
using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace RocketMqSource.Adapter.Consuming;

/// <summary>
/// Opens the SimpleConsumer (gRPC channel, route query, settings handshake). The first attempt may
/// begin before the host is built (<see cref="BeginOpening"/>), so the three round trips to the proxy overlap
/// the host's start-up instead of following it; later attempts (the consume loop's retries) start afresh.
/// </summary>
internal sealed class RocketMqConnection(RocketMqOptions options) : IAsyncDisposable
{
    private Task<SimpleConsumer>? early;

    /// <summary>
    /// A connection whose first attempt runs from now on, bounded by the client's own timeouts;
    /// whoever waits for it may stop waiting (<see cref="OpenAsync"/>).
    /// </summary>
    public static RocketMqConnection BeginOpening(RocketMqOptions options)
    {
        var connection = new RocketMqConnection(options);
        connection.early = connection.OpenNewAsync(CancellationToken.None);
        return connection;
    }

    /// <summary>The early attempt's outcome the first time there is one; a new attempt otherwise.</summary>
    public async Task<SimpleConsumer> OpenAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref early, null) is not { } pending)
        {
            return await OpenNewAsync(cancellationToken);
        }

        try
        {
            return await pending.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nobody takes the consumer the early attempt may still open: close it when it does.
            _ = CloseAsync(pending);
            throw;
        }
    }

    /// <summary>Closes a consumer the early attempt opened that nobody took, once it is open; does not wait for that.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref early, null) is { } pending)
        {
            _ = CloseAsync(pending);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task CloseAsync(Task<SimpleConsumer> pending)
    {
        try
        {
            await (await pending).DisposeAsync();
        }
        catch (Exception)
        {
            // It failed or was cancelled: there is nothing to close.
        }
    }

    private Task<SimpleConsumer> OpenNewAsync(CancellationToken cancellationToken)
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
        return new SimpleConsumer.Builder()
            .SetClientConfig(config.Build())
            .SetConsumerGroup(options.ConsumerGroup)
            .SetAwaitDuration(options.AwaitDuration)
            .SetSubscriptionExpression(new Dictionary<string, FilterExpression> { [options.Topic] = filter })
            .BuildAsync(cancellationToken);
    }
}
