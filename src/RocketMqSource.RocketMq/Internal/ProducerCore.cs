using System.Collections.Concurrent;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>The Producer's protocol logic: publishing settings, validation, queue choice, send with retries.</summary>
internal sealed class ProducerCore : ClientCore
{
    private readonly ConcurrentDictionary<string, byte> _topics;
    private readonly MessageIdGenerator _ids;
    private ServerPublishingSettings _server = new(RetryBackoff.Default, MessageValidator.DefaultMaxBodySize, true);

    public ProducerCore(ClientConfig config, IEnumerable<string> topics, int maxAttempts, MessageIdGenerator ids, ClientTimings timings)
        : base(config, timings)
    {
        _topics = new ConcurrentDictionary<string, byte>(topics.Select(t => KeyValuePair.Create(t, (byte)0)), StringComparer.Ordinal);
        MaxAttempts = maxAttempts;
        _ids = ids;
    }

    /// <summary>Attempts per message (the first try included); the delays between them come from the server.</summary>
    public int MaxAttempts { get; }

    public ServerPublishingSettings Server => Volatile.Read(ref _server);

    protected override IEnumerable<string> Topics => _topics.Keys;

    protected override ClientType ClientType => ClientType.Producer;

    public async Task<SendReceipt> SendAsync(Message message, CancellationToken token)
    {
        ThrowIfNotRunning();
        var server = Server;
        var invalid = MessageValidator.ValidateMessage(message, server.MaxBodySize, DateTimeOffset.UtcNow);
        if (invalid is not null)
        {
            throw invalid.ToException();
        }

        _topics.TryAdd(message.Topic, 0);
        var route = await GetRouteAsync(message.Topic, token).ConfigureAwait(false);
        var type = ProtocolConversions.TypeOf(message);
        if (server.ValidateMessageType && !route.Accepts(type))
        {
            throw StatusMapper.ToException(Code.MessagePropertyConflictWithType, $"topic '{message.Topic}' does not accept {type} messages");
        }

        // One id for all attempts, so a retried message that did arrive is recognisable as the same.
        var messageId = _ids.Next();
        var bornTime = DateTimeOffset.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(message, route, messageId, bornTime, token).ConfigureAwait(false);
            }
            catch (RpcException exception) when (exception.IsCancelled && token.IsCancellationRequested)
            {
                throw new OperationCanceledException("send cancelled", exception, token);
            }
            catch (Exception exception) when (attempt < MaxAttempts && StatusMapper.IsRetryable(exception))
            {
                await Task.Delay(Server.Backoff.DelayBeforeRetry(attempt), token).ConfigureAwait(false);
            }
        }
    }

    protected override void FillSettings(Settings settings)
    {
        var publishing = new Publishing { MaxBodySize = MessageValidator.DefaultMaxBodySize, ValidateMessageType = true };
        publishing.Topics.AddRange(_topics.Keys.Select(t => ProtocolConversions.Resource(Config.Namespace, t)));
        settings.Publishing = publishing;
    }

    protected override void ApplyServerSettings(Settings settings)
    {
        var current = Server;
        Volatile.Write(ref _server, new ServerPublishingSettings(
            settings.BackoffPolicy is null ? current.Backoff : RetryBackoff.FromProtocol(settings.BackoffPolicy),
            settings.Publishing is { MaxBodySize: > 0 } publishing ? publishing.MaxBodySize : current.MaxBodySize,
            settings.Publishing?.ValidateMessageType ?? current.ValidateMessageType));
    }

    protected override HeartbeatRequest BuildHeartbeat() => new() { ClientType = ClientType.Producer };

    protected override NotifyClientTerminationRequest BuildTermination() => new();

    private async Task<SendReceipt> SendOnceAsync(Message message, TopicRoute route, string messageId, DateTimeOffset bornTime, CancellationToken token)
    {
        var queue = message.MessageGroup is { } group ? route.ForMessageGroup(group) : route.NextWritable();
        var request = new SendMessageRequest();
        request.Messages.Add(ProtocolConversions.ToProtocol(message, Config.Namespace, messageId, queue.Id, bornTime, ClientIdentity.HostName));
        var result = await Rpc.SendMessageAsync(EndpointAddress.FromProtocol(queue.Broker.Endpoints), request, token).ConfigureAwait(false);
        StatusMapper.ThrowIfNotOk(result.Response.Status, result.RequestId);
        var entry = result.Response.Entries.FirstOrDefault();
        if (entry is not null)
        {
            StatusMapper.ThrowIfNotOk(entry.Status, result.RequestId);
        }

        return new SendReceipt(string.IsNullOrEmpty(entry?.MessageId) ? messageId : entry.MessageId, entry?.Offset ?? 0);
    }
}

/// <summary>Publishing values from the server's settings reply.</summary>
internal sealed record ServerPublishingSettings(RetryBackoff Backoff, int MaxBodySize, bool ValidateMessageType);
