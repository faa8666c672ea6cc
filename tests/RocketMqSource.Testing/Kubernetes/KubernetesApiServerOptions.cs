using System.Security.Cryptography.X509Certificates;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>How a <see cref="KubernetesApiServerDouble"/> behaves.</summary>
public sealed record KubernetesApiServerOptions
{
    /// <summary>When set, every request needs "Authorization: Bearer {token}" (more via AllowToken).</summary>
    public string? BearerToken { get; init; }

    /// <summary>Resources ("group/plural", "" group for core) whose status is a subresource.</summary>
    public IReadOnlyCollection<string> StatusSubresources { get; init; } =
        ["apps/deployments", "/pods", "/services", "sources.knative.dev/rocketmqsources"];

    /// <summary>How many changes watches can replay before 410 Expired.</summary>
    public int HistoryLimit { get; init; } = 10_000;

    /// <summary>When set, bookmarks go to every watch that allowed them at this interval.</summary>
    public TimeSpan? BookmarkInterval { get; init; }

    /// <summary>Serve HTTPS with this certificate (with private key) instead of HTTP.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>The clock TokenRequests are issued against (expirationTimestamp = now + expirationSeconds).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>With HTTPS: ask for a client certificate (any is accepted and its subject logged).</summary>
    public bool RequestClientCertificate { get; init; }
}

/// <summary>One request as the double received it.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    string? ContentType,
    string? Body,
    bool HadBearerToken,
    string? ClientCertificateSubject)
{
    /// <summary>The Accept header, when the client sent one.</summary>
    public string? Accept { get; init; }

    public bool IsWatch => Query.Contains("watch=true", StringComparison.Ordinal) || Query.Contains("watch=1", StringComparison.Ordinal);
}
