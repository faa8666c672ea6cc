using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace RocketMqSource.RocketMq.Transport;

/// <summary>
/// gRPC length-prefixed message framing (1 byte compressed flag, 4 bytes big-endian length,
/// payload), shared by the client transport and the emulator's server side.
/// </summary>
internal static class GrpcFraming
{
    public const int HeaderLength = 5;

    /// <summary>Largest message accepted from a peer (the proxy's own limit is 4 MiB of body plus properties).</summary>
    public const int DefaultMaxMessageSize = 16 * 1024 * 1024;

    /// <summary>Writes one uncompressed frame for <paramref name="message"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, IMessage message)
    {
        var size = message.CalculateSize();
        var span = writer.GetSpan(HeaderLength + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(HeaderLength, size));
        writer.Advance(HeaderLength + size);
    }

    /// <summary>One uncompressed frame for <paramref name="message"/> as a new array.</summary>
    public static byte[] ToFrame(IMessage message)
    {
        var size = message.CalculateSize();
        var frame = new byte[HeaderLength + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)size);
        message.WriteTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    /// <summary>
    /// Reads the next frame from <paramref name="stream"/> and parses it; null at a clean end of
    /// stream (no partial frame). Compressed frames are refused because we never negotiate
    /// a grpc-encoding.
    /// </summary>
    public static async ValueTask<T?> ReadAsync<T>(
        Stream stream,
        MessageParser<T> parser,
        int maxMessageSize = DefaultMaxMessageSize,
        CancellationToken cancellationToken = default)
        where T : class, IMessage<T>
    {
        var header = new byte[HeaderLength];
        var read = await stream.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < HeaderLength)
        {
            throw new InvalidDataException("gRPC stream ended inside a message header");
        }

        if (header[0] != 0)
        {
            throw new InvalidDataException("compressed gRPC message received but no grpc-encoding was negotiated");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > (uint)maxMessageSize)
        {
            throw new InvalidDataException($"gRPC message of {length} bytes exceeds the limit of {maxMessageSize} bytes");
        }

        var payload = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            await stream.ReadExactlyAsync(payload.AsMemory(0, (int)length), cancellationToken);
            return parser.ParseFrom(payload, 0, (int)length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }
}
