using System.Net;
using Google.Protobuf;

namespace RocketMqSource.RocketMq.Transport;

/// <summary>
/// The response side of one gRPC call: awaits the response headers, reads length-prefixed
/// messages and finally checks grpc-status in the trailers (or in the headers of a
/// trailers-only response). Every failure surfaces as an <see cref="RpcException"/>.
/// </summary>
internal class GrpcCall<TResponse> : IDisposable
    where TResponse : class, IMessage<TResponse>, new()
{
    private static readonly MessageParser<TResponse> Parser = new(() => new TResponse());

    private readonly Task<HttpResponseMessage> _responseTask;
    private HttpResponseMessage? _response;
    private Stream? _responseStream;
    private bool _finished;

    public GrpcCall(Task<HttpResponseMessage> responseTask, CallScope scope)
    {
        _responseTask = responseTask;
        Scope = scope;
    }

    protected CallScope Scope { get; }

    protected Task<HttpResponseMessage> ResponseTask => _responseTask;

    /// <summary>The next response message, or null once the server ended the call with OK.</summary>
    public async Task<TResponse?> ReadAsync()
    {
        if (_finished)
        {
            return null;
        }

        try
        {
            var stream = await GetResponseStreamAsync().ConfigureAwait(false);
            if (stream is null)
            {
                return null;
            }

            var message = await GrpcFraming.ReadAsync(stream, Parser, cancellationToken: Scope.Token).ConfigureAwait(false);
            if (message is null)
            {
                _finished = true;
                ThrowIfNotOk(GrpcResponseStatus.TryRead(_response!.TrailingHeaders), "trailers");
            }

            return message;
        }
        catch (Exception exception) when (exception is not RpcException)
        {
            throw Scope.Translate(exception);
        }
    }

    public virtual void Dispose()
    {
        if (!_finished)
        {
            // Resets the HTTP/2 stream so the server stops working on an abandoned call.
            Scope.Cancel();
        }

        _response?.Dispose();
        Scope.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<Stream?> GetResponseStreamAsync()
    {
        if (_responseStream is not null)
        {
            return _responseStream;
        }

        _response = await _responseTask.ConfigureAwait(false);
        var trailersOnly = GrpcResponseStatus.TryRead(_response.Headers);
        if (trailersOnly is not null)
        {
            _finished = true;
            ThrowIfNotOk(trailersOnly, "headers");
            return null;
        }

        if (_response.StatusCode != HttpStatusCode.OK)
        {
            throw new RpcException(
                GrpcResponseStatus.FromHttpStatus(_response.StatusCode),
                $"HTTP status {(int)_response.StatusCode} without grpc-status");
        }

        var contentType = _response.Content.Headers.ContentType?.MediaType;
        if (contentType is null || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(GrpcStatusCode.Unknown, $"unexpected content-type '{contentType}'");
        }

        _responseStream = await _response.Content.ReadAsStreamAsync(Scope.Token).ConfigureAwait(false);
        return _responseStream;
    }

    private static void ThrowIfNotOk((GrpcStatusCode Code, string Message)? status, string where)
    {
        if (status is null)
        {
            throw new RpcException(GrpcStatusCode.Internal, $"call ended without grpc-status in the {where}");
        }

        if (status.Value.Code != GrpcStatusCode.OK)
        {
            throw new RpcException(status.Value.Code, status.Value.Message);
        }
    }
}
