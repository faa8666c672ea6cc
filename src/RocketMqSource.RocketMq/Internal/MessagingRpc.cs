using System.Collections.Concurrent;
using Google.Protobuf;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Signing;
using RocketMqSource.RocketMq.Transport;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>A unary response with the request id it answered (for error reports).</summary>
internal readonly record struct RpcResult<T>(T Response, string RequestId);

/// <summary>
/// The MessagingService calls of one client: one channel per endpoint, fresh signed metadata per
/// call, and the client's request timeout as the default deadline.
/// </summary>
internal sealed class MessagingRpc : IDisposable
{
    private const string Service = "apache.rocketmq.v2.MessagingService/";

    private readonly ClientConfig _config;
    private readonly ConcurrentDictionary<EndpointAddress, Lazy<GrpcChannel>> _channels = new();
    private readonly GrpcChannelOptions _channelOptions;

    public MessagingRpc(ClientConfig config, string clientId)
    {
        _config = config;
        ClientId = clientId;
        _channelOptions = new GrpcChannelOptions
        {
            UseTls = config.SslEnabled,
            TrustedCertificates = config.TrustedCertificates,
            SkipCertificateVerification = config.SkipCertificateVerification,
        };
    }

    public string ClientId { get; }

    public TimeSpan RequestTimeout => _config.RequestTimeout;

    public Task<RpcResult<QueryRouteResponse>> QueryRouteAsync(EndpointAddress endpoint, QueryRouteRequest request, CancellationToken token) =>
        UnaryAsync<QueryRouteRequest, QueryRouteResponse>(endpoint, "QueryRoute", request, null, token);

    public Task<RpcResult<HeartbeatResponse>> HeartbeatAsync(EndpointAddress endpoint, HeartbeatRequest request, CancellationToken token) =>
        UnaryAsync<HeartbeatRequest, HeartbeatResponse>(endpoint, "Heartbeat", request, null, token);

    public Task<RpcResult<SendMessageResponse>> SendMessageAsync(EndpointAddress endpoint, SendMessageRequest request, CancellationToken token) =>
        UnaryAsync<SendMessageRequest, SendMessageResponse>(endpoint, "SendMessage", request, null, token);

    public Task<RpcResult<AckMessageResponse>> AckMessageAsync(EndpointAddress endpoint, AckMessageRequest request, CancellationToken token) =>
        UnaryAsync<AckMessageRequest, AckMessageResponse>(endpoint, "AckMessage", request, null, token);

    public Task<RpcResult<ChangeInvisibleDurationResponse>> ChangeInvisibleDurationAsync(
        EndpointAddress endpoint, ChangeInvisibleDurationRequest request, CancellationToken token) =>
        UnaryAsync<ChangeInvisibleDurationRequest, ChangeInvisibleDurationResponse>(endpoint, "ChangeInvisibleDuration", request, null, token);

    public Task<RpcResult<ForwardMessageToDeadLetterQueueResponse>> ForwardToDeadLetterQueueAsync(
        EndpointAddress endpoint, ForwardMessageToDeadLetterQueueRequest request, CancellationToken token) =>
        UnaryAsync<ForwardMessageToDeadLetterQueueRequest, ForwardMessageToDeadLetterQueueResponse>(
            endpoint, "ForwardMessageToDeadLetterQueue", request, null, token);

    public Task<RpcResult<NotifyClientTerminationResponse>> NotifyClientTerminationAsync(
        EndpointAddress endpoint, NotifyClientTerminationRequest request, TimeSpan timeout, CancellationToken token) =>
        UnaryAsync<NotifyClientTerminationRequest, NotifyClientTerminationResponse>(endpoint, "NotifyClientTermination", request, timeout, token);

    /// <summary>Starts ReceiveMessage; <paramref name="timeout"/> must cover the long poll.</summary>
    public (GrpcCall<ReceiveMessageResponse> Call, string RequestId) ReceiveMessage(
        EndpointAddress endpoint, ReceiveMessageRequest request, TimeSpan timeout, CancellationToken token)
    {
        var (metadata, requestId) = Metadata();
        var call = Channel(endpoint).ServerStreaming<ReceiveMessageRequest, ReceiveMessageResponse>(
            Service + "ReceiveMessage", request, new CallOptions(metadata, timeout, token));
        return (call, requestId);
    }

    /// <summary>Opens the long-lived Telemetry stream (no deadline).</summary>
    public DuplexCall<TelemetryCommand, TelemetryCommand> OpenTelemetry(EndpointAddress endpoint, CancellationToken token) =>
        Channel(endpoint).Duplex<TelemetryCommand, TelemetryCommand>(
            Service + "Telemetry", new CallOptions(Metadata().Headers, null, token));

    public void Dispose()
    {
        foreach (var channel in _channels.Values.Where(c => c.IsValueCreated))
        {
            channel.Value.Dispose();
        }

        _channels.Clear();
    }

    private async Task<RpcResult<TResponse>> UnaryAsync<TRequest, TResponse>(
        EndpointAddress endpoint, string method, TRequest request, TimeSpan? timeout, CancellationToken token)
        where TRequest : IMessage
        where TResponse : class, IMessage<TResponse>, new()
    {
        var (metadata, requestId) = Metadata();
        var response = await Channel(endpoint).UnaryAsync<TRequest, TResponse>(
            Service + method, request, new CallOptions(metadata, timeout ?? _config.RequestTimeout, token)).ConfigureAwait(false);
        return new RpcResult<TResponse>(response, requestId);
    }

    private (IReadOnlyList<KeyValuePair<string, string>> Headers, string RequestId) Metadata()
    {
        var requestId = Guid.NewGuid().ToString();
        var headers = RequestMetadata.Build(
            ClientId,
            ClientIdentity.Version,
            _config.Namespace,
            requestId,
            DateTimeOffset.UtcNow,
            _config.CredentialsProvider?.GetSessionCredentials());
        return (headers, requestId);
    }

    private GrpcChannel Channel(EndpointAddress endpoint) =>
        _channels.GetOrAdd(endpoint, e => new Lazy<GrpcChannel>(() => new GrpcChannel(e.Host, e.Port, _channelOptions))).Value;
}
