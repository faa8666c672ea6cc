using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq;

/// <summary>One proxy/broker address.</summary>
internal sealed record EndpointAddress(string Host, int Port)
{
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>The first address of a route's broker endpoints.</summary>
    public static EndpointAddress FromProtocol(Endpoints endpoints)
    {
        var first = endpoints.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("broker endpoints carry no address");
        return new EndpointAddress(first.Host, first.Port);
    }
}

/// <summary>The configured endpoints string, parsed: <c>host:port[;host:port]</c>, IPv6 as <c>[::1]:8081</c>.</summary>
internal sealed class AccessPoint
{
    private AccessPoint(IReadOnlyList<EndpointAddress> addresses, AddressScheme scheme)
    {
        Addresses = addresses;
        Scheme = scheme;
    }

    public IReadOnlyList<EndpointAddress> Addresses { get; }

    public AddressScheme Scheme { get; }

    public static AccessPoint Parse(string endpoints)
    {
        var addresses = endpoints
            .Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseOne)
            .ToList();
        if (addresses.Count == 0)
        {
            throw new ArgumentException($"no endpoint in '{endpoints}'", nameof(endpoints));
        }

        var families = addresses.Select(a => IPAddress.TryParse(a.Host, out var ip) ? ip.AddressFamily : (AddressFamily?)null).ToList();
        var scheme = families.All(f => f == AddressFamily.InterNetwork) ? AddressScheme.Ipv4
            : families.All(f => f == AddressFamily.InterNetworkV6) ? AddressScheme.Ipv6
            : AddressScheme.DomainName;
        if (scheme == AddressScheme.DomainName && addresses.Count > 1)
        {
            throw new ArgumentException("a domain-name endpoint must be the only one", nameof(endpoints));
        }

        return new AccessPoint(addresses, scheme);
    }

    public Endpoints ToProtocol()
    {
        var endpoints = new Endpoints { Scheme = Scheme };
        endpoints.Addresses.AddRange(Addresses.Select(a => new Address { Host = a.Host, Port = a.Port }));
        return endpoints;
    }

    private static EndpointAddress ParseOne(string text)
    {
        string host, port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw new ArgumentException($"endpoint '{text}' must be [ipv6]:port", nameof(text));
            }

            host = text[1..close];
            port = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0)
            {
                throw new ArgumentException($"endpoint '{text}' must be host:port", nameof(text));
            }

            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new ArgumentException($"endpoint '{text}' has an invalid port", nameof(text));
        }

        return new EndpointAddress(host, number);
    }
}
