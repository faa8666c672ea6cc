using System.Security.Cryptography.X509Certificates;

namespace RocketMqSource.RocketMq.Transport;

/// <summary>How a channel reaches its endpoint.</summary>
internal sealed record GrpcChannelOptions
{
    /// <summary>TLS (https) instead of h2c with prior knowledge.</summary>
    public bool UseTls { get; init; }

    /// <summary>Extra CA certificates trusted for the server's chain (in addition to the system store).</summary>
    public IReadOnlyList<X509Certificate2> TrustedCertificates { get; init; } = [];

    /// <summary>Accept any server certificate. For development only.</summary>
    public bool SkipCertificateVerification { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
