using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace RocketMqSource.RocketMq.Transport;

/// <summary>
/// gRPC over HTTP/2 to one endpoint. One handler (and its connection pool) per channel, so calls
/// share connections; extra HTTP/2 connections open only when the stream limit is reached.
/// </summary>
internal sealed class GrpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _invoker;

    public GrpcChannel(string host, int port, GrpcChannelOptions options)
    {
        Address = new UriBuilder(options.UseTls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, host, port).Uri;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };
        if (options.UseTls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = TlsTrust.CreateValidator(options);
        }

        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public Uri Address { get; }

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, CallOptions options)
        where TRequest : IMessage
        where TResponse : class, IMessage<TResponse>, new()
    {
        using var call = ServerStreaming<TRequest, TResponse>(method, request, options);
        var response = await call.ReadAsync().ConfigureAwait(false)
            ?? throw new RpcException(GrpcStatusCode.Internal, $"{method} returned no response message");
        if (await call.ReadAsync().ConfigureAwait(false) is not null)
        {
            throw new RpcException(GrpcStatusCode.Internal, $"{method} returned more than one response message");
        }

        return response;
    }

    /// <summary>Starts a call with one request message; read responses until null.</summary>
    public GrpcCall<TResponse> ServerStreaming<TRequest, TResponse>(string method, TRequest request, CallOptions options)
        where TRequest : IMessage
        where TResponse : class, IMessage<TResponse>, new()
    {
        var content = new ByteArrayContent(GrpcFraming.ToFrame(request));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var scope = new CallScope(options);
        return new GrpcCall<TResponse>(Send(method, content, options, scope), scope);
    }

    /// <summary>Starts a bidirectional call; the request stream stays open until completed.</summary>
    public DuplexCall<TRequest, TResponse> Duplex<TRequest, TResponse>(string method, CallOptions options)
        where TRequest : IMessage
        where TResponse : class, IMessage<TResponse>, new()
    {
        var content = new DuplexContent();
        var scope = new CallScope(options);
        var responseTask = Send(method, content, options, scope);
        _ = responseTask.ContinueWith(
            static (task, state) => ((DuplexContent)state!).Abort(task.Exception!.GetBaseException()),
            content,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return new DuplexCall<TRequest, TResponse>(content, responseTask, scope);
    }

    public void Dispose() => _invoker.Dispose();

    private Task<HttpResponseMessage> Send(string method, HttpContent content, CallOptions options, CallScope scope)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "/" + method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (options.Timeout is { } timeout)
        {
            request.Headers.TryAddWithoutValidation("grpc-timeout", GrpcTimeout.Encode(timeout));
        }

        foreach (var (name, value) in options.Metadata)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return SendCore(request, scope);
    }

    private async Task<HttpResponseMessage> SendCore(HttpRequestMessage request, CallScope scope)
    {
        try
        {
            return await _invoker.SendAsync(request, scope.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            throw scope.Translate(exception);
        }
    }
}
