using System.Security.Cryptography.X509Certificates;

namespace RocketMqSource.Kubernetes.Configuration;

/// <summary>Reads the mounted service account (token, ca.crt, namespace) and the service env vars.</summary>
internal static class InClusterConfigLoader
{
    public const string DefaultRoot = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsAvailable(string root, Func<string, string?> environment) =>
        !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) &&
        !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_PORT")) &&
        File.Exists(Path.Combine(root, "token"));

    public static KubernetesClientConfiguration Load(string root, Func<string, string?> environment)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubernetesConfigException("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
        }

        var tokenFile = Path.Combine(root, "token");
        if (!File.Exists(tokenFile))
        {
            throw new KubernetesConfigException($"not in a cluster: {tokenFile} is missing");
        }

        var config = new KubernetesClientConfiguration
        {
            // An IPv6 service address needs brackets in a URL.
            Host = $"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}",
            TokenFile = tokenFile,
        };

        var caFile = Path.Combine(root, "ca.crt");
        if (File.Exists(caFile))
        {
            var cas = new X509Certificate2Collection();
            cas.ImportFromPemFile(caFile);
            config.SslCaCerts = cas;
        }

        var namespaceFile = Path.Combine(root, "namespace");
        if (File.Exists(namespaceFile))
        {
            config.Namespace = File.ReadAllText(namespaceFile).Trim();
        }

        return config;
    }
}

/// <summary>The client configuration is missing or invalid.</summary>
public sealed class KubernetesConfigException(string message) : Exception(message);
