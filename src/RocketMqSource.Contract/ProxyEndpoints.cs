using System.Globalization;
using System.Text.RegularExpressions;

namespace RocketMqSource.Contract;

/// <summary>
/// The RocketMQ proxy address list, <c>host:port[;host:port]</c> (spec.endpoints, ROCKETMQ_ENDPOINTS):
/// a host name or IPv4 address, or an IPv6 address in brackets, as the CRD's pattern says.
/// </summary>
public static partial class ProxyEndpoints
{
    /// <summary>The addresses, trimmed; <paramref name="problem"/> says what is wrong when there is no usable list.</summary>
    public static bool TryParse(string? text, out IReadOnlyList<string> endpoints, out string? problem)
    {
        var parts = (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        endpoints = parts;
        problem = parts.Length == 0 ? "must list host:port[;host:port]"
            : parts.FirstOrDefault(p => !IsHostPort(p)) is { } bad ? $"'{bad}' is not host:port"
            : null;
        return problem is null;
    }

    private static bool IsHostPort(string endpoint) =>
        HostPort().Match(endpoint) is { Success: true } match
        && int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
        && port is >= 1 and <= 65535;

    [GeneratedRegex(@"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(?<port>[0-9]{1,5})$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPort();
}
