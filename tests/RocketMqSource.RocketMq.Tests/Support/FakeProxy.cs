using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Transport;

namespace RocketMqSource.RocketMq.Tests.Support;

/// <summary>One RPC the fake proxy received, with its request headers.</summary>
internal sealed record ProxyCall(string Method, IReadOnlyDictionary<string, string> Headers, IMessage Request);

/// <summary>
/// A scriptable RocketMQ proxy double on a real loopback Kestrel (h2c): records every call and
/// answers with programmable behaviour. Not the emulator: it checks what the client sends.
/// </summary>
internal sealed class FakeProxy : IAsyncDisposable
{
    private const string Prefix = "/apache.rocketmq.v2.MessagingService/";
    private readonly ConcurrentQueue<ProxyCall> _calls = new();
    private TestGrpcServer _server = null!;

    public int Port => _server.Port;

    public string Endpoints => $"127.0.0.1:{Port}";

    /// <summary>Topic → message types its queues accept; other topics are TOPIC_NOT_FOUND.</summary>
    public ConcurrentDictionary<string, MessageType[]> Topics { get; } = new(StringComparer.Ordinal);

    public int QueuesPerTopic { get; set; } = 2;

    public Status? QueryRouteStatus { get; set; }

    public bool ReplyToSettings { get; set; } = true;

    /// <summary>Server values merged into every settings reply.</summary>
    public Action<Settings> ServerSettings { get; set; } = _ => { };

    public Func<SendMessageRequest, SendMessageResponse> OnSend { get; set; } = request =>
    {
        var response = new SendMessageResponse { Status = Ok() };
        response.Entries.Add(new SendResultEntry { Status = Ok(), MessageId = request.Messages[0].SystemProperties.MessageId, Offset = 42 });
        return response;
    };

    public Func<ReceiveMessageRequest, IEnumerable<ReceiveMessageResponse>> OnReceive { get; set; } = _ =>
        [new ReceiveMessageResponse { Status = new Status { Code = Code.MessageNotFound, Message = "no new message" } }];

    public Func<AckMessageRequest, AckMessageResponse> OnAck { get; set; } = request =>
    {
        var response = new AckMessageResponse { Status = Ok() };
        response.Entries.AddRange(request.Entries.Select(e => new AckMessageResultEntry { MessageId = e.MessageId, ReceiptHandle = e.ReceiptHandle, Status = Ok() }));
        return response;
    };

    public Func<ChangeInvisibleDurationRequest, ChangeInvisibleDurationResponse> OnChangeInvisibleDuration { get; set; } = request =>
        new ChangeInvisibleDurationResponse { Status = Ok(), ReceiptHandle = request.ReceiptHandle + "+renewed" };

    /// <summary>Keep ReceiveMessage calls open (no messages) until the client gives up.</summary>
    public bool HoldReceives { get; set; }

    public TaskCompletionSource ReceiveHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource TelemetryClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<ProxyCall> Calls => [.. _calls];

    public IEnumerable<T> Requests<T>(string method) => _calls.Where(c => c.Method == method).Select(c => (T)c.Request);

    public int Count(string method) => _calls.Count(c => c.Method == method);

    public static Status Ok() => new() { Code = Code.Ok, Message = "OK" };

    public static async Task<FakeProxy> StartAsync()
    {
        var proxy = new FakeProxy();
        proxy._server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            [Prefix + "QueryRoute"] = proxy.Unary(QueryRouteRequest.Parser, proxy.QueryRoute),
            [Prefix + "Heartbeat"] = proxy.Unary(HeartbeatRequest.Parser, _ => new HeartbeatResponse { Status = Ok() }),
            [Prefix + "SendMessage"] = proxy.Unary(SendMessageRequest.Parser, r => proxy.OnSend(r)),
            [Prefix + "AckMessage"] = proxy.Unary(AckMessageRequest.Parser, r => proxy.OnAck(r)),
            [Prefix + "ChangeInvisibleDuration"] = proxy.Unary(ChangeInvisibleDurationRequest.Parser, r => proxy.OnChangeInvisibleDuration(r)),
            [Prefix + "ForwardMessageToDeadLetterQueue"] = proxy.Unary(ForwardMessageToDeadLetterQueueRequest.Parser,
                _ => new ForwardMessageToDeadLetterQueueResponse { Status = Ok() }),
            [Prefix + "NotifyClientTermination"] = proxy.Unary(NotifyClientTerminationRequest.Parser,
                _ => new NotifyClientTerminationResponse { Status = Ok() }),
            [Prefix + "ReceiveMessage"] = proxy.ReceiveAsync,
            [Prefix + "Telemetry"] = proxy.TelemetryAsync,
        });
        return proxy;
    }

    public async Task WaitUntilAsync(Func<FakeProxy, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition(this))
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"fake proxy never saw: {what}");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static Dictionary<string, string> HeadersOf(HttpContext context) =>
        context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());

    private RequestDelegate Unary<TRequest, TResponse>(MessageParser<TRequest> parser, Func<TRequest, TResponse> handle)
        where TRequest : class, IMessage<TRequest>
        where TResponse : IMessage => async context =>
    {
        var request = await GrpcFraming.ReadAsync(context.Request.Body, parser) ?? throw new InvalidOperationException("no request");
        _calls.Enqueue(new ProxyCall(context.Request.Path.Value![Prefix.Length..], HeadersOf(context), request));
        await TestGrpcServer.StartResponseAsync(context);
        await TestGrpcServer.WriteMessageAsync(context, handle(request));
        TestGrpcServer.SetStatus(context, 0);
    };

    private QueryRouteResponse QueryRoute(QueryRouteRequest request)
    {
        if (QueryRouteStatus is { } status)
        {
            return new QueryRouteResponse { Status = status };
        }

        if (!Topics.TryGetValue(request.Topic.Name, out var types))
        {
            return new QueryRouteResponse { Status = new Status { Code = Code.TopicNotFound, Message = $"topic {request.Topic.Name} not found" } };
        }

        var response = new QueryRouteResponse { Status = Ok() };
        for (var id = 0; id < QueuesPerTopic; id++)
        {
            var queue = new MessageQueue
            {
                Topic = request.Topic,
                Id = id,
                Permission = Permission.ReadWrite,
                Broker = new Broker
                {
                    Name = "broker-a",
                    Id = 0,
                    Endpoints = new Protocol.Endpoints { Scheme = AddressScheme.Ipv4, Addresses = { new Address { Host = "127.0.0.1", Port = Port } } },
                },
            };
            queue.AcceptMessageTypes.AddRange(types);
            response.MessageQueues.Add(queue);
        }

        return response;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var request = await GrpcFraming.ReadAsync(context.Request.Body, ReceiveMessageRequest.Parser) ?? throw new InvalidOperationException("no request");
        _calls.Enqueue(new ProxyCall("ReceiveMessage", HeadersOf(context), request));
        await TestGrpcServer.StartResponseAsync(context);
        if (HoldReceives)
        {
            ReceiveHeld.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        foreach (var response in OnReceive(request))
        {
            await TestGrpcServer.WriteMessageAsync(context, response);
        }

        await TestGrpcServer.WriteMessageAsync(context, new ReceiveMessageResponse { DeliveryTimestamp = Timestamp.FromDateTime(DateTime.UtcNow) });
        TestGrpcServer.SetStatus(context, 0);
    }

    private async Task TelemetryAsync(HttpContext context)
    {
        var headers = HeadersOf(context);
        await TestGrpcServer.StartResponseAsync(context);
        try
        {
            while (await GrpcFraming.ReadAsync(context.Request.Body, TelemetryCommand.Parser, cancellationToken: context.RequestAborted) is { } command)
            {
                _calls.Enqueue(new ProxyCall("Telemetry", headers, command));
                if (command.Settings is { } settings && ReplyToSettings)
                {
                    var reply = settings.Clone();
                    ServerSettings(reply);
                    await TestGrpcServer.WriteMessageAsync(context, new TelemetryCommand { Status = Ok(), Settings = reply });
                }
            }

            TestGrpcServer.SetStatus(context, 0);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The client reset the stream.
        }
        finally
        {
            TelemetryClosed.TrySetResult();
        }
    }
}
