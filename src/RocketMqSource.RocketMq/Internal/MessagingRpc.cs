using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using RocketMqSource.RocketMq.Connection;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Signing;
using MessagingClient = RocketMqSource.RocketMq.Protocol.MessagingService.MessagingServiceClient;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>A response with the request id it answered (for error reports).</summary>
internal readonly record struct RpcResult<T>(T Response, string RequestId);

/// <summary>
/// The MessagingService calls of one client: one channel per endpoint, the client's metadata on
/// every call, its request timeout as the default deadline, and transport failures as our
/// <see cref="RpcException"/> (RocketMQ's own errors arrive in-band, as a Status in the response).
/// </summary>
internal sealed class MessagingRpc : IDisposable
{
    private readonly ClientConfig _config;
    private readonly RequestMetadata _metadata;
    private readonly ConcurrentDictionary<EndpointAddress, Lazy<(GrpcChannel Channel, MessagingClient Client)>> _endpoints = new();

    public MessagingRpc(ClientConfig config, string clientId)
    {
        _config = config;
        ClientId = clientId;
        _metadata = new RequestMetadata(clientId, ClientIdentity.Version, config.Namespace, config.CredentialsProvider, TimeProvider.System);
    }

    public string ClientId { get; }

    public Task<RpcResult<QueryRouteResponse>> QueryRouteAsync(EndpointAddress endpoint, QueryRouteRequest request, CancellationToken token) =>
        UnaryAsync(endpoint, static (client, r, o) => client.QueryRouteAsync(r, o), request, null, token);

    public Task<RpcResult<HeartbeatResponse>> HeartbeatAsync(EndpointAddress endpoint, HeartbeatRequest request, CancellationToken token) =>
        UnaryAsync(endpoint, static (client, r, o) => client.HeartbeatAsync(r, o), request, null, token);

    public Task<RpcResult<SendMessageResponse>> SendMessageAsync(EndpointAddress endpoint, SendMessageRequest request, CancellationToken token) =>
        UnaryAsync(endpoint, static (client, r, o) => client.SendMessageAsync(r, o), request, null, token);

    public Task<RpcResult<AckMessageResponse>> AckMessageAsync(EndpointAddress endpoint, AckMessageRequest request, CancellationToken token) =>
        UnaryAsync(endpoint, static (client, r, o) => client.AckMessageAsync(r, o), request, null, token);

    public Task<RpcResult<ChangeInvisibleDurationResponse>> ChangeInvisibleDurationAsync(
        EndpointAddress endpoint, ChangeInvisibleDurationRequest request, CancellationToken token) =>
        UnaryAsync(endpoint, static (client, r, o) => client.ChangeInvisibleDurationAsync(r, o), request, null, token);

    public Task<RpcResult<NotifyClientTerminationResponse>> NotifyClientTerminationAsync(
        EndpointAddress endpoint, NotifyClientTerminationRequest request, TimeSpan timeout, CancellationToken token) =>
        UnaryAsync(endpoint, static (client, r, o) => client.NotifyClientTerminationAsync(r, o), request, timeout, token);

    /// <summary>ReceiveMessage, read to its end; <paramref name="timeout"/> must cover the long poll.</summary>
    public async Task<RpcResult<List<ReceiveMessageResponse>>> ReceiveMessageAsync(
        EndpointAddress endpoint, ReceiveMessageRequest request, TimeSpan timeout, CancellationToken token)
    {
        var (options, requestId) = Options(timeout, token);
        try
        {
            using var call = Client(endpoint).ReceiveMessage(request, options);
            var responses = new List<ReceiveMessageResponse>();
            while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                responses.Add(call.ResponseStream.Current);
            }

            return new(responses, requestId);
        }
        catch (Grpc.Core.RpcException exception)
        {
            throw RpcException.From(exception);
        }
    }

    /// <summary>Opens the long-lived Telemetry stream (no deadline).</summary>
    public AsyncDuplexStreamingCall<TelemetryCommand, TelemetryCommand> OpenTelemetry(EndpointAddress endpoint, CancellationToken token) =>
        Client(endpoint).Telemetry(new CallOptions(_metadata.Create(Guid.NewGuid().ToString()), cancellationToken: token));

    public void Dispose()
    {
        foreach (var endpoint in _endpoints.Values.Where(e => e.IsValueCreated))
        {
            endpoint.Value.Channel.Dispose();
        }

        _endpoints.Clear();
    }

    private async Task<RpcResult<TResponse>> UnaryAsync<TRequest, TResponse>(
        EndpointAddress endpoint,
        Func<MessagingClient, TRequest, CallOptions, AsyncUnaryCall<TResponse>> start,
        TRequest request,
        TimeSpan? timeout,
        CancellationToken token)
    {
        var (options, requestId) = Options(timeout ?? _config.RequestTimeout, token);
        try
        {
            using var call = start(Client(endpoint), request, options);
            return new(await call.ResponseAsync.ConfigureAwait(false), requestId);
        }
        catch (Grpc.Core.RpcException exception)
        {
            throw RpcException.From(exception);
        }
    }

    private (CallOptions Options, string RequestId) Options(TimeSpan timeout, CancellationToken token)
    {
        var requestId = Guid.NewGuid().ToString();
        return (new CallOptions(_metadata.Create(requestId), DateTime.UtcNow + timeout, token), requestId);
    }

    private MessagingClient Client(EndpointAddress endpoint) =>
        _endpoints.GetOrAdd(endpoint, e => new(() =>
        {
            var channel = ProxyChannel.Create(e, _config);
            return (channel, new MessagingClient(channel));
        })).Value.Client;
}
