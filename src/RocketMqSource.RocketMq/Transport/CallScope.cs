using System.Net.Http;
using Google.Protobuf;

namespace RocketMqSource.RocketMq.Transport;

/// <summary>
/// The lifetime of one call: links the caller's cancellation with the deadline and turns
/// whatever went wrong into an <see cref="RpcException"/> with the right status.
/// </summary>
internal sealed class CallScope : IDisposable
{
    private const long Http2CancelErrorCode = 0x8;
    private const long Http2RefusedStreamErrorCode = 0x7;

    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationToken _callerToken;
    private readonly bool _hasDeadline;

    public CallScope(CallOptions options)
    {
        _callerToken = options.CancellationToken;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        if (options.Timeout is { } timeout)
        {
            _hasDeadline = true;
            _cancellation.CancelAfter(timeout > TimeSpan.Zero ? timeout : TimeSpan.FromTicks(1));
        }
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Cancels the call (stream reset) without a caller request, e.g. on dispose.</summary>
    public void Cancel() => _cancellation.Cancel();

    public RpcException Translate(Exception exception)
    {
        if (exception is RpcException rpc)
        {
            return rpc;
        }

        if (_callerToken.IsCancellationRequested)
        {
            return new RpcException(GrpcStatusCode.Cancelled, "call cancelled by the caller", exception);
        }

        if (_hasDeadline && _cancellation.IsCancellationRequested)
        {
            return new RpcException(GrpcStatusCode.DeadlineExceeded, "deadline exceeded", exception);
        }

        return exception switch
        {
            OperationCanceledException => new RpcException(GrpcStatusCode.Cancelled, "call cancelled", exception),
            HttpProtocolException { ErrorCode: Http2CancelErrorCode } =>
                new RpcException(GrpcStatusCode.Cancelled, "stream reset by the server (CANCEL)", exception),
            HttpProtocolException { ErrorCode: Http2RefusedStreamErrorCode } =>
                new RpcException(GrpcStatusCode.Unavailable, "stream refused by the server", exception),
            HttpProtocolException protocol =>
                new RpcException(GrpcStatusCode.Internal, $"HTTP/2 protocol error {protocol.ErrorCode}: {protocol.Message}", exception),
            HttpRequestException request =>
                new RpcException(GrpcStatusCode.Unavailable, Describe(request), exception),
            InvalidDataException or InvalidProtocolBufferException =>
                new RpcException(GrpcStatusCode.Internal, exception.Message, exception),
            IOException io => new RpcException(GrpcStatusCode.Unavailable, Describe(io), exception),
            ObjectDisposedException => new RpcException(GrpcStatusCode.Cancelled, "call disposed", exception),
            _ => new RpcException(GrpcStatusCode.Unknown, exception.Message, exception),
        };
    }

    public void Dispose() => _cancellation.Dispose();

    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message;
}
