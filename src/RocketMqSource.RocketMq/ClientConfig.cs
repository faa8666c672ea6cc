using System.Security.Cryptography.X509Certificates;

namespace RocketMqSource.RocketMq;

/// <summary>Where and how a client reaches the RocketMQ proxy. Build with <see cref="Builder"/>.</summary>
public sealed class ClientConfig
{
    private ClientConfig(Builder builder, AccessPoint accessPoint)
    {
        Endpoints = builder.EndpointsValue!;
        AccessPoint = accessPoint;
        CredentialsProvider = builder.CredentialsProviderValue;
        RequestTimeout = builder.RequestTimeoutValue;
        SslEnabled = builder.SslEnabledValue;
        Namespace = builder.NamespaceValue;
        TrustedCertificates = [.. builder.TrustedCertificatesValue];
    }

    /// <summary>Proxy address(es): <c>host:port[;host:port]</c>.</summary>
    public string Endpoints { get; }

    public ISessionCredentialsProvider? CredentialsProvider { get; }

    public TimeSpan RequestTimeout { get; }

    public bool SslEnabled { get; }

    /// <summary>RocketMQ namespace (instance id); empty when unused.</summary>
    public string Namespace { get; }

    public IReadOnlyList<X509Certificate2> TrustedCertificates { get; }

    internal AccessPoint AccessPoint { get; }

    public sealed class Builder
    {
        internal string? EndpointsValue { get; private set; }

        internal ISessionCredentialsProvider? CredentialsProviderValue { get; private set; }

        internal TimeSpan RequestTimeoutValue { get; private set; } = TimeSpan.FromSeconds(3);

        internal bool SslEnabledValue { get; private set; } = true;

        internal string NamespaceValue { get; private set; } = string.Empty;

        internal List<X509Certificate2> TrustedCertificatesValue { get; } = [];

        /// <summary>Proxy address(es): <c>host:port[;host:port]</c>.</summary>
        public Builder SetEndpoints(string endpoints)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(endpoints);
            EndpointsValue = endpoints;
            return this;
        }

        public Builder SetCredentialsProvider(ISessionCredentialsProvider credentialsProvider)
        {
            CredentialsProviderValue = credentialsProvider ?? throw new ArgumentNullException(nameof(credentialsProvider));
            return this;
        }

        /// <summary>Deadline of each unary call (default 3 s).</summary>
        public Builder SetRequestTimeout(TimeSpan requestTimeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
            RequestTimeoutValue = requestTimeout;
            return this;
        }

        /// <summary>TLS to the proxy (default true, like the official client); false for plaintext h2c.</summary>
        public Builder EnableSsl(bool enableSsl)
        {
            SslEnabledValue = enableSsl;
            return this;
        }

        public Builder SetNamespace(string @namespace)
        {
            NamespaceValue = @namespace ?? string.Empty;
            return this;
        }

        /// <summary>Also trusts this CA certificate for the proxy's TLS chain.</summary>
        public Builder AddTrustedCertificate(X509Certificate2 certificate)
        {
            ArgumentNullException.ThrowIfNull(certificate);
            TrustedCertificatesValue.Add(certificate);
            return this;
        }

        public ClientConfig Build()
        {
            if (EndpointsValue is null)
            {
                throw new InvalidOperationException("endpoints are required (SetEndpoints)");
            }

            return new ClientConfig(this, AccessPoint.Parse(EndpointsValue));
        }
    }
}
