using RocketMqSource.Emulator.Filters;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Broker;

internal sealed partial class ProxyService
{
    /// <summary>
    /// ReceiveMessage with long polling. The stream is {status OK}, the messages, then
    /// {delivery_timestamp}; with nothing found {status MESSAGE_NOT_FOUND} then the timestamp;
    /// on error {status} then the timestamp.
    /// </summary>
    public async Task<IReadOnlyList<ReceiveMessageResponse>> ReceiveMessageAsync(
        CallContext context, ReceiveMessageRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyList<Message> messages;
        try
        {
            if (Admit(context) is { } refused)
            {
                return Answer(refused, []);
            }

            var (pop, pollingTime) = PreparePop(context, request);
            messages = await LongPollAsync(pop, pollingTime, cancellationToken);
        }
        catch (ProxyException e)
        {
            return Answer(e.ToStatus(), []);
        }
        catch (FilterExpressionException e)
        {
            return Answer(new Status { Code = Code.IllegalFilterExpression, Message = e.Message }, []);
        }

        return messages.Count == 0
            ? Answer(new Status { Code = Code.MessageNotFound, Message = "no new message" }, [])
            : Answer(Ok(), messages);
    }

    private (PopRequest Pop, TimeSpan PollingTime) PreparePop(CallContext context, ReceiveMessageRequest request)
    {
        if (Sessions.Find(context.ClientId!) is null)
        {
            throw new ProxyException(Code.UnrecognizedClientType, "cannot find client settings for this client");
        }

        var group = MessageValidator.Group(request.Group);
        var topic = MessageValidator.Topic(request.MessageQueue?.Topic);
        var filter = MessageFilter.Compile(request.FilterExpression);

        TimeSpan invisible;
        if (request.AutoRenew)
        {
            invisible = AutoRenewInvisibleDuration;
        }
        else
        {
            invisible = request.InvisibleDuration?.ToTimeSpan() ?? TimeSpan.Zero;
            if (invisible < _options.MinInvisibleDuration || invisible > MaxInvisibleDuration)
            {
                throw new ProxyException(Code.IllegalInvisibleTime,
                    $"invisible duration must be within [{_options.MinInvisibleDuration.TotalSeconds}s, 12h]");
            }
        }

        var pollingTime = PollingTime(context, request);
        if (!Broker.TopicExists(topic))
        {
            throw new ProxyException(Code.TopicNotFound, $"topic {topic} not found");
        }

        var batch = Math.Clamp(request.BatchSize, 1, SettingsMerger.ConsumerBatchSize);
        var clientId = context.ClientId!;
        Func<bool>? renewWhile = request.AutoRenew ? () => Sessions.Find(clientId) is not null : null;
        var pop = new PopRequest(group, topic, filter, batch, invisible, MaxAttempts(group), Broker.IsOrderly(group, topic), renewWhile);
        return (pop, pollingTime);
    }

    /// <summary>
    /// Polling time: the request's long_polling_timeout (else what the deadline leaves) clamped
    /// to [min, max], and always ending before the client's deadline.
    /// </summary>
    private TimeSpan PollingTime(CallContext context, ReceiveMessageRequest request)
    {
        var remaining = context.Deadline is { } deadline ? deadline - Now : TimeSpan.MaxValue;
        var polling = request.LongPollingTimeout?.ToTimeSpan()
            ?? (remaining == TimeSpan.MaxValue ? _options.MaxLongPollingTimeout : remaining - PollingReserve);
        polling = TimeSpan.FromTicks(Math.Clamp(polling.Ticks, _options.MinLongPollingTimeout.Ticks, _options.MaxLongPollingTimeout.Ticks));
        if (polling > remaining - PollingReserve)
        {
            if (remaining - PollingReserve < _options.MinLongPollingTimeout)
            {
                throw new ProxyException(Code.IllegalPollingTime, "the deadline time remaining is not enough for polling");
            }

            polling = remaining - PollingReserve;
        }

        return polling;
    }

    /// <summary>Pops now; when empty, waits for a change (send, ack, nack) or a due time, until the polling time ends.</summary>
    private async Task<IReadOnlyList<Message>> LongPollAsync(PopRequest pop, TimeSpan pollingTime, CancellationToken cancellationToken)
    {
        var clock = Broker.Clock;
        var end = clock.GetUtcNow() + pollingTime;
        while (true)
        {
            // A caller that went away must not pop: its messages would sit invisible for nothing.
            cancellationToken.ThrowIfCancellationRequested();
            var changed = Broker.Changed;
            var messages = Broker.Pop(pop);
            var now = clock.GetUtcNow();
            if (messages.Count > 0 || now >= end)
            {
                return messages;
            }

            var wait = end - now;
            if (Broker.NextWakeUp(pop.Group, pop.Topic) is { } wake && wake - now < wait)
            {
                wait = wake - now < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wake - now;
            }

            using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(wait, clock, stopWaiting.Token);
            Interlocked.Increment(ref _parkedReceives);
            await Task.WhenAny(changed, timer).ConfigureAwait(false);
            Interlocked.Decrement(ref _parkedReceives);

            await stopWaiting.CancelAsync().ConfigureAwait(false);
        }
    }

    private ReceiveMessageResponse[] Answer(Status status, IReadOnlyList<Message> messages)
    {
        var responses = new List<ReceiveMessageResponse>(messages.Count + 2) { new() { Status = status } };
        responses.AddRange(messages.Select(message => new ReceiveMessageResponse { Message = message }));
        responses.Add(new ReceiveMessageResponse { DeliveryTimestamp = DeliveryTimestamp(Now) });
        return [.. responses];
    }
}
