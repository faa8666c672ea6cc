using System.Reflection;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>Who this process is to the proxy: client ids in the official C# format, version, host.</summary>
internal static class ClientIdentity
{
    private static int _index = -1;

    public static string HostName { get; } = SafeHostName();

    public static int ProcessId { get; } = Environment.ProcessId;

    /// <summary>Our assembly version, sent as x-mq-client-version and in the settings' user agent.</summary>
    public static string Version { get; } =
        typeof(ClientIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "1.0.0";

    /// <summary>A new id for a client instance in this process.</summary>
    public static string NewClientId() =>
        Format(HostName, ProcessId, Interlocked.Increment(ref _index), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary><c>host@pid@index@base36(epoch ms)</c>.</summary>
    public static string Format(string host, int processId, int index, long epochMilliseconds) =>
        $"{host}@{processId}@{index}@{ToBase36(epochMilliseconds)}";

    public static string ToBase36(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        if (value == 0)
        {
            return "0";
        }

        Span<char> buffer = stackalloc char[16];
        var position = buffer.Length;
        while (value > 0)
        {
            buffer[--position] = digits[(int)(value % 36)];
            value /= 36;
        }

        return new string(buffer[position..]);
    }

    private static string SafeHostName()
    {
        try
        {
            return System.Net.Dns.GetHostName();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return "localhost";
        }
    }
}
