using System.Buffers.Binary;
using System.Net.NetworkInformation;
using System.Security.Cryptography;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>
/// Message ids in the v1 layout: "01" + 6-byte MAC + low 2 bytes of the pid + low 4 bytes of
/// seconds since 2021-01-01 UTC + 4-byte sequence, big-endian, uppercase hex (34 characters).
/// </summary>
internal sealed class MessageIdGenerator
{
    public static readonly DateTimeOffset Epoch = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static MessageIdGenerator Shared { get; } = new(LocalMac(), Environment.ProcessId, () => DateTimeOffset.UtcNow);

    private readonly byte[] _mac;
    private readonly int _processId;
    private readonly Func<DateTimeOffset> _clock;
    private int _sequence = -1;

    public MessageIdGenerator(byte[] mac, int processId, Func<DateTimeOffset> clock)
    {
        if (mac.Length != 6)
        {
            throw new ArgumentException("a MAC address has 6 bytes", nameof(mac));
        }

        _mac = mac;
        _processId = processId;
        _clock = clock;
    }

    public string Next()
    {
        var sequence = unchecked((uint)Interlocked.Increment(ref _sequence));
        var seconds = (long)Math.Floor((_clock() - Epoch).TotalSeconds);
        return Format(_mac, _processId, seconds, sequence);
    }

    public static string Format(ReadOnlySpan<byte> mac, int processId, long secondsSinceEpoch, uint sequence)
    {
        Span<byte> bytes = stackalloc byte[16];
        mac.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[6..], unchecked((ushort)processId));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[8..], unchecked((uint)secondsSinceEpoch));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[12..], sequence);
        return "01" + Convert.ToHexString(bytes);
    }

    private static byte[] LocalMac()
    {
        try
        {
            var mac = NetworkInterface.GetAllNetworkInterfaces()
                .Where(nic => nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .Select(nic => nic.GetPhysicalAddress().GetAddressBytes())
                .FirstOrDefault(bytes => bytes.Length == 6 && bytes.Any(b => b != 0));
            if (mac is not null)
            {
                return mac;
            }
        }
        catch (NetworkInformationException)
        {
            // Fall through to a random id: uniqueness matters, not the real MAC.
        }

        return RandomNumberGenerator.GetBytes(6);
    }
}
