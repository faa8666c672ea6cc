using System.Buffers.Binary;
using System.Net.NetworkInformation;

namespace RocketMqSource.Emulator.Broker;

/// <summary>
/// Message ids in the v1 layout ("01", 6-byte MAC, low 2 bytes of pid, seconds since
/// 2021-01-01 UTC, 4-byte sequence; uppercase hex) for messages that arrive without one.
/// </summary>
internal static class MessageIds
{
    private static readonly DateTimeOffset Epoch = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Mac = LocalMac();
    private static int _sequence;

    public static string Next(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[17];
        bytes[0] = 0x01;
        Mac.CopyTo(bytes[1..]);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[7..], (ushort)Environment.ProcessId);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[9..], (uint)(now - Epoch).TotalSeconds);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[13..], (uint)Interlocked.Increment(ref _sequence));
        return Convert.ToHexString(bytes);
    }

    private static byte[] LocalMac()
    {
        try
        {
            var mac = NetworkInterface.GetAllNetworkInterfaces()
                .Select(nic => nic.GetPhysicalAddress().GetAddressBytes())
                .FirstOrDefault(address => address.Length == 6 && address.Any(b => b != 0));
            return mac ?? new byte[6];
        }
        catch (NetworkInformationException)
        {
            return new byte[6];
        }
    }
}
