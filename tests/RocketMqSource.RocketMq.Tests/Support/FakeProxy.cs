using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.Testing;
using GrpcStatus = Grpc.Core.Status;
using Status = RocketMqSource.RocketMq.Protocol.Status;

namespace RocketMqSource.RocketMq.Tests.Support;

/// <summary>One RPC the fake proxy received: scheme (http or https), request headers, request, and the deadline as the server saw it.</summary>
internal sealed record ProxyCall(string Method, string Scheme, IReadOnlyDictionary<string, string> Headers, IMessage Request, DateTime ReceivedAt, DateTime Deadline);

/// <summary>
/// A scriptable RocketMQ proxy double on a real loopback Kestrel (Grpc.AspNetCore, h2c or TLS):
/// records every call and answers with programmable behaviour. Not the emulator: it checks what the client sends.
/// </summary>
internal sealed class FakeProxy : MessagingService.MessagingServiceBase, IAsyncDisposable
{
    private readonly ConcurrentQueue<ProxyCall> _calls = new();
    private readonly ConcurrentDictionary<string, GrpcStatus> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);
    private TestGrpcServer _server = null!;

    public int Port => _server.Port;

    public string Endpoints => $"127.0.0.1:{Port}";

    /// <summary>TCP connections clients opened to this proxy.</summary>
    public int ConnectionCount => _server.ConnectionCount;

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

    /// <summary>A call of a held method has arrived and waits for the client to give up.</summary>
    public TaskCompletionSource CallHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A held call was abandoned by the client (deadline, cancellation or reset).</summary>
    public TaskCompletionSource CallAbandoned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource TelemetryClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<ProxyCall> Calls => [.. _calls];

    public IEnumerable<T> Requests<T>(string method) => _calls.Where(c => c.Method == method).Select(c => (T)c.Request);

    public int Count(string method) => _calls.Count(c => c.Method == method);

    public static Status Ok() => new() { Code = Code.Ok, Message = "OK" };

    public static async Task<FakeProxy> StartAsync(X509Certificate2? tlsCertificate = null)
    {
        var proxy = new FakeProxy();
        proxy._server = await TestGrpcServer.StartAsync(proxy, tlsCertificate);
        return proxy;
    }

    /// <summary>Calls of <paramref name="method"/> answer nothing and stay open until the client gives up.</summary>
    public void Hold(string method) => _held[method] = 0;

    /// <summary>Calls of <paramref name="method"/> end with this gRPC status (a transport-level failure, not an in-band one).</summary>
    public void Fail(string method, StatusCode code, string detail) => _failures[method] = new GrpcStatus(code, detail);

    public Task WaitUntilAsync(Func<FakeProxy, bool> condition, string what) => Eventually.WaitAsync(() => condition(this), $"the fake proxy to see {what}");

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    public override Task<QueryRouteResponse> QueryRoute(QueryRouteRequest request, ServerCallContext context) =>
        AnswerAsync("QueryRoute", request, context, QueryRoute);

    public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context) =>
        AnswerAsync("Heartbeat", request, context, _ => new HeartbeatResponse { Status = Ok() });

    public override Task<SendMessageResponse> SendMessage(SendMessageRequest request, ServerCallContext context) =>
        AnswerAsync("SendMessage", request, context, OnSend);

    public override Task<AckMessageResponse> AckMessage(AckMessageRequest request, ServerCallContext context) =>
        AnswerAsync("AckMessage", request, context, OnAck);

    public override Task<ChangeInvisibleDurationResponse> ChangeInvisibleDuration(ChangeInvisibleDurationRequest request, ServerCallContext context) =>
        AnswerAsync("ChangeInvisibleDuration", request, context, OnChangeInvisibleDuration);

    public override Task<ForwardMessageToDeadLetterQueueResponse> ForwardMessageToDeadLetterQueue(
        ForwardMessageToDeadLetterQueueRequest request, ServerCallContext context) =>
        AnswerAsync("ForwardMessageToDeadLetterQueue", request, context, _ => new ForwardMessageToDeadLetterQueueResponse { Status = Ok() });

    public override Task<NotifyClientTerminationResponse> NotifyClientTermination(NotifyClientTerminationRequest request, ServerCallContext context) =>
        AnswerAsync("NotifyClientTermination", request, context, _ => new NotifyClientTerminationResponse { Status = Ok() });

    public override async Task ReceiveMessage(
        ReceiveMessageRequest request, IServerStreamWriter<ReceiveMessageResponse> responseStream, ServerCallContext context)
    {
        if (await AdmitAsync("ReceiveMessage", request, context))
        {
            foreach (var response in OnReceive(request))
            {
                await responseStream.WriteAsync(response);
            }

            await responseStream.WriteAsync(new ReceiveMessageResponse { DeliveryTimestamp = Timestamp.FromDateTime(DateTime.UtcNow) });
        }
    }

    public override async Task Telemetry(
        IAsyncStreamReader<TelemetryCommand> requestStream, IServerStreamWriter<TelemetryCommand> responseStream, ServerCallContext context)
    {
        if (_failures.TryGetValue("Telemetry", out var failure))
        {
            throw new Grpc.Core.RpcException(failure);
        }

        await context.WriteResponseHeadersAsync([]);
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                var command = requestStream.Current;
                _calls.Enqueue(Record("Telemetry", command, context));
                if (command.Settings is { } settings && ReplyToSettings)
                {
                    var reply = settings.Clone();
                    ServerSettings(reply);
                    await responseStream.WriteAsync(new TelemetryCommand { Status = Ok(), Settings = reply });
                }
            }
        }
        catch (Exception) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client reset the stream.
        }
        finally
        {
            TelemetryClosed.TrySetResult();
        }
    }

    private static ProxyCall Record(string method, IMessage request, ServerCallContext context)
    {
        var http = context.GetHttpContext().Request;
        var headers = http.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        return new ProxyCall(method, http.Scheme, headers, request, DateTime.UtcNow, context.Deadline);
    }

    private async Task<TResponse> AnswerAsync<TRequest, TResponse>(
        string method, TRequest request, ServerCallContext context, Func<TRequest, TResponse> answer)
        where TRequest : IMessage
    {
        return await AdmitAsync(method, request, context)
            ? answer(request)
            : throw new Grpc.Core.RpcException(new GrpcStatus(StatusCode.Cancelled, "abandoned by the client"));
    }

    /// <summary>Records the call, then fails it or holds it when scripted to; true when the call should be answered.</summary>
    private async Task<bool> AdmitAsync(string method, IMessage request, ServerCallContext context)
    {
        _calls.Enqueue(Record(method, request, context));
        if (_failures.TryGetValue(method, out var failure))
        {
            throw new Grpc.Core.RpcException(failure);
        }

        if (!_held.ContainsKey(method))
        {
            return true;
        }

        CallHeld.TrySetResult();
        await Task.Delay(Timeout.Infinite, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        CallAbandoned.TrySetResult();
        return false;
    }

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
}
