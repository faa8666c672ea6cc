using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>The SimpleConsumer's protocol logic: subscription settings, receive, ack, invisibility.</summary>
internal sealed class SimpleConsumerCore : ClientCore
{
    private readonly ConcurrentDictionary<string, FilterExpression> _subscriptions;
    private readonly Resource _group;
    private int _nextTopic = -1;
    private ServerSubscriptionSettings _server = new(null, null, null, null);

    public SimpleConsumerCore(
        ClientConfig config,
        string consumerGroup,
        TimeSpan awaitDuration,
        IReadOnlyDictionary<string, FilterExpression> subscriptions,
        ClientTimings timings)
        : base(config, timings)
    {
        ConsumerGroup = consumerGroup;
        AwaitDuration = awaitDuration;
        _group = ProtocolConversions.Resource(config.Namespace, consumerGroup);
        _subscriptions = new ConcurrentDictionary<string, FilterExpression>(subscriptions, StringComparer.Ordinal);
    }

    public string ConsumerGroup { get; }

    public TimeSpan AwaitDuration { get; }

    /// <summary>The server's view of the group, from the latest settings reply.</summary>
    public ServerSubscriptionSettings Server => Volatile.Read(ref _server);

    public IReadOnlyDictionary<string, FilterExpression> Subscriptions => _subscriptions;

    /// <summary>How long ReceiveMessage may wait for messages: the await duration, capped by the server.</summary>
    public TimeSpan LongPollingTimeout =>
        Server.LongPollingTimeout is { } cap && cap > TimeSpan.Zero && cap < AwaitDuration ? cap : AwaitDuration;

    protected override IEnumerable<string> Topics => _subscriptions.Keys;

    protected override ClientType ClientType => ClientType.SimpleConsumer;

    public async Task SubscribeAsync(string topic, FilterExpression filter, CancellationToken token)
    {
        ThrowIfNotRunning();
        await FetchRouteAsync(topic, token).ConfigureAwait(false);
        _subscriptions[topic] = filter;
        await SyncSettingsAsync(SessionEndpoints, token).ConfigureAwait(false);
    }

    public async Task UnsubscribeAsync(string topic, CancellationToken token)
    {
        ThrowIfNotRunning();
        if (_subscriptions.TryRemove(topic, out _))
        {
            ForgetRoute(topic);
            await SyncSettingsAsync(SessionEndpoints, token).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<MessageView>> ReceiveAsync(int maxMessageNum, TimeSpan invisibleDuration, CancellationToken token)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxMessageNum, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(invisibleDuration, TimeSpan.Zero);
        ThrowIfNotRunning();
        var topics = _subscriptions.ToArray();
        if (topics.Length == 0)
        {
            throw new InvalidOperationException("the consumer has no subscription");
        }

        var (topic, filter) = topics[(int)((uint)Interlocked.Increment(ref _nextTopic) % (uint)topics.Length)];
        var route = await GetRouteAsync(topic, token).ConfigureAwait(false);
        var queue = route.NextReadable();
        var endpoint = EndpointAddress.FromProtocol(queue.Broker.Endpoints);
        var longPolling = LongPollingTimeout;
        var request = new ReceiveMessageRequest
        {
            Group = _group,
            MessageQueue = queue,
            FilterExpression = ProtocolConversions.ToProtocol(filter),
            BatchSize = Server.ReceiveBatchSize is > 0 and var cap ? Math.Min(maxMessageNum, cap) : maxMessageNum,
            InvisibleDuration = Duration.FromTimeSpan(invisibleDuration),
            AutoRenew = false,
            LongPollingTimeout = Duration.FromTimeSpan(longPolling),
        };

        // Dispose ends a parked long poll at once: the proxy then pops nothing for a consumer that is gone.
        var stopping = Stopping;
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(token, stopping);
        RpcResult<List<ReceiveMessageResponse>> result;
        try
        {
            result = await Rpc.ReceiveMessageAsync(endpoint, request, longPolling + Config.RequestTimeout, lifetime.Token).ConfigureAwait(false);
        }
        catch (RpcException exception) when (exception.IsCancelled && token.IsCancellationRequested)
        {
            throw new OperationCanceledException("receive cancelled", exception, token);
        }
        catch (RpcException exception) when (exception.IsCancelled && stopping.IsCancellationRequested)
        {
            throw new ObjectDisposedException("the consumer was disposed while receiving", exception);
        }

        var messages = new List<MessageView>(result.Response.Count);
        foreach (var response in result.Response)
        {
            if (response.ContentCase == ReceiveMessageResponse.ContentOneofCase.Status
                && response.Status.Code != Code.MessageNotFound)
            {
                StatusMapper.ThrowIfNotOk(response.Status, result.RequestId);
            }
            else if (response.ContentCase == ReceiveMessageResponse.ContentOneofCase.Message)
            {
                messages.Add(ProtocolConversions.ToView(response.Message, endpoint));
            }
        }

        return messages;
    }

    public async Task AckAsync(MessageView message, CancellationToken token)
    {
        ThrowIfNotRunning();
        var results = await AckBatchAsync([message], token).ConfigureAwait(false);
        if (results[0].Error is { } error)
        {
            throw error;
        }
    }

    /// <summary>One AckMessage RPC per (endpoint, topic) group of the messages; a result per message.</summary>
    public async Task<IReadOnlyList<AckResult>> AckBatchAsync(IReadOnlyCollection<MessageView> messages, CancellationToken token)
    {
        ThrowIfNotRunning();
        var batches = messages.GroupBy(m => (m.Endpoint, m.Topic));
        var results = await Task.WhenAll(batches.Select(batch => AckOneBatchAsync(batch.Key.Endpoint, batch.Key.Topic, [.. batch], token)))
            .ConfigureAwait(false);
        // MessageView has reference identity, so the same view passed twice maps to one result.
        var byMessage = new Dictionary<MessageView, AckResult>();
        foreach (var result in results.SelectMany(r => r))
        {
            byMessage[result.Message] = result;
        }

        return [.. messages.Select(m => byMessage[m])];
    }

    /// <summary>Changes the message's invisibility; the view takes the NEW receipt handle, which is also returned.</summary>
    public async Task<string> ChangeInvisibleDurationAsync(MessageView message, TimeSpan invisibleDuration, CancellationToken token)
    {
        ThrowIfNotRunning();
        var request = new ChangeInvisibleDurationRequest
        {
            Group = _group,
            Topic = ProtocolConversions.Resource(Config.Namespace, message.Topic),
            ReceiptHandle = message.ReceiptHandle,
            InvisibleDuration = Duration.FromTimeSpan(invisibleDuration),
            MessageId = message.MessageId,
        };
        var result = await Rpc.ChangeInvisibleDurationAsync(message.Endpoint, request, token).ConfigureAwait(false);
        StatusMapper.ThrowIfNotOk(result.Response.Status, result.RequestId);
        if (!string.IsNullOrEmpty(result.Response.ReceiptHandle))
        {
            message.UpdateReceiptHandle(result.Response.ReceiptHandle);
        }

        return message.ReceiptHandle;
    }

    protected override void FillSettings(Settings settings)
    {
        var subscription = new Subscription
        {
            Group = _group,
            LongPollingTimeout = Duration.FromTimeSpan(AwaitDuration),
        };
        subscription.Subscriptions.AddRange(_subscriptions.Select(s => new SubscriptionEntry
        {
            Topic = ProtocolConversions.Resource(Config.Namespace, s.Key),
            Expression = ProtocolConversions.ToProtocol(s.Value),
        }));
        settings.Subscription = subscription;
    }

    protected override void ApplyServerSettings(Settings settings)
    {
        var subscription = settings.Subscription;
        Volatile.Write(ref _server, new ServerSubscriptionSettings(
            subscription is { HasFifo: true } ? subscription.Fifo : null,
            subscription is { HasReceiveBatchSize: true } ? subscription.ReceiveBatchSize : null,
            subscription?.LongPollingTimeout?.ToTimeSpan(),
            settings.BackoffPolicy is { MaxAttempts: > 0 } policy ? policy.MaxAttempts : null));
    }

    protected override HeartbeatRequest BuildHeartbeat() => new() { Group = _group, ClientType = ClientType.SimpleConsumer };

    protected override NotifyClientTerminationRequest BuildTermination() => new() { Group = _group };

    private async Task<AckResult[]> AckOneBatchAsync(EndpointAddress endpoint, string topic, MessageView[] messages, CancellationToken token)
    {
        var request = new AckMessageRequest { Group = _group, Topic = ProtocolConversions.Resource(Config.Namespace, topic) };
        request.Entries.AddRange(messages.Select(m => new AckMessageEntry { MessageId = m.MessageId, ReceiptHandle = m.ReceiptHandle }));
        var result = await Rpc.AckMessageAsync(endpoint, request, token).ConfigureAwait(false);
        var top = result.Response.Status ?? new Status { Code = Code.InternalError, Message = "response carried no status" };
        var entries = result.Response.Entries.ToLookup(e => e.MessageId, StringComparer.Ordinal);
        return [.. messages.Select(m =>
        {
            var entry = entries[m.MessageId].FirstOrDefault(e => e.ReceiptHandle == m.ReceiptHandle) ?? entries[m.MessageId].FirstOrDefault();
            var status = entry?.Status ?? top;
            return new AckResult(m, StatusMapper.IsOk(status.Code) && status.Code != Code.MultipleResults
                ? null
                : StatusMapper.ToException(status.Code, status.Message, result.RequestId));
        })];
    }
}

/// <summary>Server values from the settings reply (null when the server did not say).</summary>
internal sealed record ServerSubscriptionSettings(bool? Fifo, int? ReceiveBatchSize, TimeSpan? LongPollingTimeout, int? MaxDeliveryAttempts);
