using System.Net;
using RocketMqSource.CloudEvents.Internal;

namespace RocketMqSource.CloudEvents.Http;

/// <summary>HttpContent over a pooled buffer, returned to the pool when the content is disposed.</summary>
internal sealed class PooledBufferContent(PooledBufferWriter buffer) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(buffer.WrittenMemory, cancellationToken).AsTask();

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.Write(buffer.WrittenMemory.Span);

    protected override bool TryComputeLength(out long length)
    {
        length = buffer.WrittenCount;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            buffer.Dispose();
        }

        base.Dispose(disposing);
    }
}
