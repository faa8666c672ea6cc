using System.Globalization;
using System.Net;

namespace RocketMqSource.Emulator.Hosting;

/// <summary>Parses "host:port" ("[::1]:port" for IPv6; "localhost" and "*" allowed).</summary>
internal static class ListenAddress
{
    public static IPEndPoint Parse(string value)
    {
        var separator = value.LastIndexOf(':');
        if (separator <= 0 || !int.TryParse(value.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new FormatException($"listen address '{value}' is not host:port");
        }

        var host = value[..separator].Trim('[', ']');
        var address = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "" => IPAddress.Any,
            _ when IPAddress.TryParse(host, out var parsed) => parsed,
            _ => throw new FormatException($"listen host '{host}' is not an IP address"),
        };
        return new IPEndPoint(address, port);
    }
}
