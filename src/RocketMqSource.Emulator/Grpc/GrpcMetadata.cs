using System.Globalization;
using Microsoft.AspNetCore.Http;
using RocketMqSource.Emulator.Broker;

namespace RocketMqSource.Emulator.Grpc;

/// <summary>Reads the RocketMQ metadata and the gRPC deadline from request headers.</summary>
internal static class GrpcMetadata
{
    public static CallContext ToCallContext(HttpRequest request, DateTimeOffset now) => new(
        Header(request, "x-mq-client-id"),
        Header(request, "authorization"),
        Header(request, "x-mq-date-time"),
        ParseTimeout(Header(request, "grpc-timeout")) is { } timeout ? now + timeout : null);

    /// <summary>Parses a grpc-timeout value: up to 8 digits and a unit (H, M, S, m, u, n).</summary>
    public static TimeSpan? ParseTimeout(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 2
            || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        return value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromMicroseconds(amount),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => null,
        };
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
