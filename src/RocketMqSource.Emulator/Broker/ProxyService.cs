using Google.Protobuf.WellKnownTypes;
using RocketMqSource.Emulator.Filters;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Signing;

namespace RocketMqSource.Emulator.Broker;

/// <summary>
/// The RPCs of apache.rocketmq.v2.MessagingService as the proxy answers them, over the broker.
/// Transport-free: <see cref="Hosting.MessagingEndpoint"/> turns call metadata into a <see cref="CallContext"/> and writes the results.
/// </summary>
internal sealed partial class ProxyService
{
    private const string BrokerName = "rocketmq-emulator";
    private static readonly TimeSpan MaxInvisibleDuration = TimeSpan.FromHours(12);
    // Auto-renew receives (push consumers) use the proxy's default invisible time, renewed while the client lives.
    private static readonly TimeSpan AutoRenewInvisibleDuration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollingReserve = TimeSpan.FromMilliseconds(200);

    private readonly RocketMqEmulatorOptions _options;
    private readonly (string AccessKey, string SecretKey)? _credentials;
    private long _heartbeats;
    private int _parkedReceives;

    public ProxyService(RocketMqEmulatorOptions options, EmulatedBroker broker)
    {
        _options = options;
        Broker = broker;
        Sessions = new ClientSessions(broker.Clock);
        if (!string.IsNullOrEmpty(options.AccessKey) && !string.IsNullOrEmpty(options.SecretKey))
        {
            _credentials = (options.AccessKey, options.SecretKey);
        }
    }

    public EmulatedBroker Broker { get; }

    public ClientSessions Sessions { get; }

    /// <summary>Heartbeats answered so far.</summary>
    public long Heartbeats => Interlocked.Read(ref _heartbeats);

    /// <summary>ReceiveMessage calls waiting in their long poll now (nothing to pop yet).</summary>
    public int ParkedReceives => Volatile.Read(ref _parkedReceives);

    /// <summary>The address answered in routes when the client did not say which one it used.</summary>
    public Endpoints SelfEndpoints { get; set; } = new();

    private DateTimeOffset Now => Broker.Clock.GetUtcNow();

    /// <summary>Checks the client id and, when credentials are configured, the signature; null when the call may proceed.</summary>
    public Status? Admit(CallContext context)
    {
        if (string.IsNullOrEmpty(context.ClientId))
        {
            return new Status { Code = Code.ClientIdRequired, Message = "x-mq-client-id is required" };
        }

        if (_credentials is { } credentials
            && !RequestSigner.Verify(context.Authorization, context.DateTime, credentials.AccessKey, credentials.SecretKey))
        {
            return new Status { Code = Code.Unauthorized, Message = "signature verification failed" };
        }

        return null;
    }

    /// <summary>Handles one telemetry command; the answer to a settings command is the merged settings.</summary>
    public TelemetryCommand? Telemetry(CallContext context, TelemetryCommand command)
    {
        if (command.CommandCase != TelemetryCommand.CommandOneofCase.Settings)
        {
            return null;
        }

        var merged = SettingsMerger.Merge(command.Settings, IsOrderlyOnAny, MaxAttempts);
        Sessions.Store(context.ClientId!, merged);
        return new TelemetryCommand { Status = Ok(), Settings = merged };
    }

    public QueryRouteResponse QueryRoute(CallContext context, QueryRouteRequest request) => Guard(context, () =>
    {
        var topic = MessageValidator.Topic(request.Topic);
        var accepted = Broker.EnsureTopic(topic);
        var endpoints = request.Endpoints is { Addresses.Count: > 0 } own ? own.Clone() : SelfEndpoints.Clone();
        var broker = new RocketMq.Protocol.Broker { Name = BrokerName, Id = 0, Endpoints = endpoints };
        var response = new QueryRouteResponse { Status = Ok() };
        for (var id = 0; id < Broker.QueueCount; id++)
        {
            var queue = new MessageQueue
            {
                Topic = new Resource { ResourceNamespace = request.Topic.ResourceNamespace, Name = topic },
                Id = id,
                Permission = Permission.ReadWrite,
                Broker = broker,
            };
            queue.AcceptMessageTypes.AddRange(accepted);
            response.MessageQueues.Add(queue);
        }

        return response;
    }, status => new QueryRouteResponse { Status = status });

    public HeartbeatResponse Heartbeat(CallContext context, HeartbeatRequest request) => Guard(context, () =>
    {
        if (!Sessions.Touch(context.ClientId!))
        {
            throw new ProxyException(Code.UnrecognizedClientType, "cannot find client settings for this client");
        }

        Interlocked.Increment(ref _heartbeats);
        return new HeartbeatResponse { Status = Ok() };
    }, status => new HeartbeatResponse { Status = status });

    public NotifyClientTerminationResponse NotifyClientTermination(CallContext context, NotifyClientTerminationRequest request) => Guard(context, () =>
    {
        if (!Sessions.Remove(context.ClientId!))
        {
            throw new ProxyException(Code.UnrecognizedClientType, "cannot find client settings for this client");
        }

        return new NotifyClientTerminationResponse { Status = Ok() };
    }, status => new NotifyClientTerminationResponse { Status = status });

    public SendMessageResponse SendMessage(CallContext context, SendMessageRequest request) => Guard(context, () =>
    {
        if (request.Messages.Count == 0)
        {
            throw new ProxyException(Code.MessageCorrupted, "no message to send");
        }

        var topic = MessageValidator.Topic(request.Messages[0].Topic);
        if (request.Messages.Any(message => message.Topic?.Name != topic))
        {
            throw new ProxyException(Code.MessageCorrupted, "messages of one request must share a topic");
        }

        foreach (var message in request.Messages)
        {
            MessageValidator.Message(message, Now);
        }

        var response = new SendMessageResponse { Status = Ok() };
        foreach (var (messageId, offset) in Broker.Send(topic, request.Messages))
        {
            response.Entries.Add(new SendResultEntry { Status = Ok(), MessageId = messageId, Offset = offset });
        }

        return response;
    }, status => new SendMessageResponse { Status = status });

    public AckMessageResponse AckMessage(CallContext context, AckMessageRequest request) => Guard(context, () =>
    {
        var group = MessageValidator.Group(request.Group);
        var topic = MessageValidator.Topic(request.Topic);
        var response = new AckMessageResponse();
        foreach (var entry in request.Entries)
        {
            Status status;
            try
            {
                Broker.Ack(group, topic, entry.ReceiptHandle);
                status = Ok();
            }
            catch (ProxyException e)
            {
                status = e.ToStatus();
            }

            response.Entries.Add(new AckMessageResultEntry { MessageId = entry.MessageId, ReceiptHandle = entry.ReceiptHandle, Status = status });
        }

        response.Status = CombinedStatus(response.Entries.Select(entry => entry.Status).ToList());
        return response;
    }, status => new AckMessageResponse { Status = status });

    public ChangeInvisibleDurationResponse ChangeInvisibleDuration(CallContext context, ChangeInvisibleDurationRequest request) => Guard(context, () =>
    {
        var group = MessageValidator.Group(request.Group);
        var topic = MessageValidator.Topic(request.Topic);
        var duration = request.InvisibleDuration?.ToTimeSpan() ?? TimeSpan.Zero;
        if (duration < TimeSpan.Zero || duration > MaxInvisibleDuration)
        {
            throw new ProxyException(Code.IllegalInvisibleTime, "invisible duration must be within [0, 12h]");
        }

        var handle = Broker.ChangeInvisibleDuration(group, topic, request.ReceiptHandle, duration);
        return new ChangeInvisibleDurationResponse { Status = Ok(), ReceiptHandle = handle };
    }, status => new ChangeInvisibleDurationResponse { Status = status });

    public ForwardMessageToDeadLetterQueueResponse ForwardMessageToDeadLetterQueue(CallContext context, ForwardMessageToDeadLetterQueueRequest request) => Guard(context, () =>
    {
        var group = MessageValidator.Group(request.Group);
        var topic = MessageValidator.Topic(request.Topic);
        Broker.ForwardToDeadLetter(group, topic, request.ReceiptHandle);
        return new ForwardMessageToDeadLetterQueueResponse { Status = Ok() };
    }, status => new ForwardMessageToDeadLetterQueueResponse { Status = status });

    internal static Status Ok() => new() { Code = Code.Ok, Message = "OK" };

    /// <summary>One distinct code is the answer; different codes make MULTIPLE_RESULTS.</summary>
    private static Status CombinedStatus(IReadOnlyList<Status> statuses)
    {
        var codes = statuses.Select(status => status.Code).Distinct().ToList();
        return codes.Count switch
        {
            0 => Ok(),
            1 => statuses[0].Clone(),
            _ => new Status { Code = Code.MultipleResults, Message = "multiple results" },
        };
    }

    private T Guard<T>(CallContext context, Func<T> handler, Func<Status, T> failure)
    {
        if (Admit(context) is { } refused)
        {
            return failure(refused);
        }

        try
        {
            return handler();
        }
        catch (ProxyException e)
        {
            return failure(e.ToStatus());
        }
        catch (FilterExpressionException e)
        {
            return failure(new Status { Code = Code.IllegalFilterExpression, Message = e.Message });
        }
    }

    private bool IsOrderlyOnAny(string group, IEnumerable<string> topics) =>
        Broker.IsOrderly(group, null) || topics.Any(topic => Broker.IsOrderly(group, topic));

    private int MaxAttempts(string group) => Broker.GroupMaxAttempts(group) ?? _options.MaxDeliveryAttempts;

    private static Timestamp DeliveryTimestamp(DateTimeOffset now) => Timestamp.FromDateTimeOffset(now);
}
