using Google.Protobuf;

namespace RocketMqSource.RocketMq.Transport;

/// <summary>
/// A bidirectional-streaming call: requests are written while responses are read on the same
/// HTTP/2 stream. Writes are serialised; <see cref="CompleteRequestAsync"/> half-closes.
/// </summary>
internal sealed class DuplexCall<TRequest, TResponse> : GrpcCall<TResponse>
    where TRequest : IMessage
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly DuplexContent _content;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private bool _requestCompleted;

    public DuplexCall(DuplexContent content, Task<HttpResponseMessage> responseTask, CallScope scope)
        : base(responseTask, scope)
    {
        _content = content;
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        var frame = GrpcFraming.ToFrame(message);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_requestCompleted)
            {
                throw new InvalidOperationException("the request stream is already completed");
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(Scope.Token, cancellationToken);
            var stream = await GetRequestStreamAsync(linked.Token).ConfigureAwait(false);
            await stream.WriteAsync(frame, linked.Token).ConfigureAwait(false);
            await stream.FlushAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not RpcException and not InvalidOperationException)
        {
            throw cancellationToken.IsCancellationRequested && !Scope.Token.IsCancellationRequested
                ? new RpcException(GrpcStatusCode.Cancelled, "write cancelled by the caller", exception)
                : Scope.Translate(exception);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Ends the request stream; the server sees end of input and may finish the call.</summary>
    public async Task CompleteRequestAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _requestCompleted = true;
            _content.Complete();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override void Dispose()
    {
        _content.Abort(new ObjectDisposedException(nameof(DuplexCall<TRequest, TResponse>)));
        base.Dispose();
        _writeLock.Dispose();
    }

    private async Task<Stream> GetRequestStreamAsync(CancellationToken cancellationToken)
    {
        var streamTask = _content.GetStreamAsync();
        var first = await Task.WhenAny(streamTask, ResponseTask).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first == streamTask || streamTask.IsCompleted)
        {
            return await streamTask.ConfigureAwait(false);
        }

        // The response (or a failure) arrived before the request body started: surface it.
        var response = await ResponseTask.ConfigureAwait(false);
        var status = GrpcResponseStatus.TryRead(response.Headers);
        if (status is { } ended && ended.Code != GrpcStatusCode.OK)
        {
            throw new RpcException(ended.Code, ended.Message);
        }

        return await streamTask.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
