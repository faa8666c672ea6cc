using System.Net;
using System.Net.Http.Headers;

namespace RocketMqSource.RocketMq.Transport;

/// <summary>
/// Request content whose stream stays open after the request is sent: the call writes frames
/// to <see cref="GetStreamAsync"/> while it reads responses, and <see cref="Complete"/> ends the
/// request stream (END_STREAM on HTTP/2).
/// </summary>
internal sealed class DuplexContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DuplexContent()
    {
        Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
    }

    /// <summary>The request body stream, available once the handler started sending the request.</summary>
    public Task<Stream> GetStreamAsync() => _stream.Task;

    /// <summary>Ends the request body.</summary>
    public void Complete() => _completed.TrySetResult();

    /// <summary>Ends the request body because the call failed or was abandoned.</summary>
    public void Abort(Exception reason)
    {
        _stream.TrySetException(reason);
        _completed.TrySetResult();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        await _completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
