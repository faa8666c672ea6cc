using System.Security.Cryptography.X509Certificates;
using RocketMqSource.Kubernetes.Configuration;

namespace RocketMqSource.Kubernetes;

/// <summary>Where the API server is and how to authenticate to it.</summary>
public sealed class KubernetesClientConfiguration
{
    /// <summary>The API server URL, e.g. https://10.96.0.1:443.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>The default namespace (service account namespace, or the kubeconfig context's).</summary>
    public string? Namespace { get; set; }

    /// <summary>A fixed bearer token.</summary>
    public string? AccessToken { get; set; }

    /// <summary>A file holding the bearer token; re-read when older than <see cref="TokenRefreshInterval"/> (rotation).</summary>
    public string? TokenFile { get; set; }

    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>CA certificates that the server certificate must chain to (replaces the system store).</summary>
    public X509Certificate2Collection? SslCaCerts { get; set; }

    /// <summary>Client certificate with private key, for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    public bool SkipTlsVerify { get; set; }

    /// <summary>The kubeconfig context this configuration came from, if any.</summary>
    public string? CurrentContext { get; set; }

    /// <summary>Clock used for token refresh (tests substitute one).</summary>
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>True inside a pod: the service environment variables and token file exist.</summary>
    public static bool IsInCluster() =>
        InClusterConfigLoader.IsAvailable(InClusterConfigLoader.DefaultRoot, Environment.GetEnvironmentVariable);

    /// <summary>Configuration from the pod's service account and KUBERNETES_SERVICE_HOST/PORT.</summary>
    public static KubernetesClientConfiguration InClusterConfig() =>
        InClusterConfigLoader.Load(InClusterConfigLoader.DefaultRoot, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Configuration from a kubeconfig file (default: $KUBECONFIG, else ~/.kube/config) and
    /// its current context or the named one.
    /// </summary>
    public static KubernetesClientConfiguration BuildConfigFromConfigFile(string? kubeconfigPath = null, string? currentContext = null)
    {
        var path = kubeconfigPath ?? KubeConfigLoader.DefaultPath();
        return KubeConfigLoader.Load(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path))!, currentContext);
    }

    /// <summary>In-cluster when running in a pod, else the default kubeconfig.</summary>
    public static KubernetesClientConfiguration BuildDefaultConfig() =>
        IsInCluster() ? InClusterConfig() : BuildConfigFromConfigFile();
}
