using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace RocketMqSource.Kubernetes.Configuration;

/// <summary>
/// Reads a kubeconfig: picks the context, then its cluster (server, CA, insecure flag) and
/// user (token, token file, client certificate and key). Relative file paths are relative
/// to the kubeconfig's folder, as kubectl resolves them.
/// </summary>
internal static class KubeConfigLoader
{
    public static string DefaultPath()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            // KUBECONFIG may list several files; the first one that exists is used.
            var first = fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists);
            if (first is not null)
            {
                return first;
            }
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }

    public static KubernetesClientConfiguration Load(string yaml, string baseDirectory, string? contextName)
    {
        var root = Parse(yaml);
        var name = contextName ?? Scalar(root, "current-context")
            ?? throw new KubernetesConfigException("kubeconfig has no current-context; name a context");

        var context = Named(root, "contexts", name, "context");
        var clusterName = Scalar(context, "cluster") ?? throw new KubernetesConfigException($"context '{name}' names no cluster");
        var cluster = Named(root, "clusters", clusterName, "cluster");
        var userName = Scalar(context, "user");
        var user = userName is null ? null : Named(root, "users", userName, "user");

        var server = Scalar(cluster, "server") ?? throw new KubernetesConfigException($"cluster '{clusterName}' has no server");
        var config = new KubernetesClientConfiguration
        {
            Host = server,
            Namespace = Scalar(context, "namespace") ?? "default",
            CurrentContext = name,
            SkipTlsVerify = string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
        };

        var caPem = DataOrFile(cluster, "certificate-authority-data", "certificate-authority", baseDirectory);
        if (caPem is not null)
        {
            var cas = new X509Certificate2Collection();
            cas.ImportFromPem(caPem);
            config.SslCaCerts = cas;
        }

        if (user is not null)
        {
            ApplyUser(config, user, baseDirectory);
        }

        return config;
    }

    private static void ApplyUser(KubernetesClientConfiguration config, YamlMappingNode user, string baseDirectory)
    {
        config.AccessToken = Scalar(user, "token");
        if (Scalar(user, "tokenFile") is { } tokenFile)
        {
            config.TokenFile = Path.GetFullPath(tokenFile, baseDirectory);
        }

        var certPem = DataOrFile(user, "client-certificate-data", "client-certificate", baseDirectory);
        var keyPem = DataOrFile(user, "client-key-data", "client-key", baseDirectory);
        if (certPem is not null && keyPem is not null)
        {
            config.ClientCertificate = PemCertificates.WithKey(certPem, keyPem);
        }
        else if (certPem is not null || keyPem is not null)
        {
            throw new KubernetesConfigException("client-certificate and client-key must be given together");
        }

        if (user.Children.ContainsKey(new YamlScalarNode("exec")) || user.Children.ContainsKey(new YamlScalarNode("auth-provider")))
        {
            throw new KubernetesConfigException("exec and auth-provider credentials are not supported; use a token or a client certificate");
        }
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw new KubernetesConfigException("kubeconfig is not a YAML mapping");
    }

    /// <summary>Finds entry <paramref name="name"/> in a named list (clusters/users/contexts) and returns its body.</summary>
    private static YamlMappingNode Named(YamlMappingNode root, string list, string name, string body)
    {
        if (root.Children.TryGetValue(new YamlScalarNode(list), out var node) && node is YamlSequenceNode entries)
        {
            foreach (var entry in entries.OfType<YamlMappingNode>())
            {
                if (Scalar(entry, "name") == name)
                {
                    return entry.Children.TryGetValue(new YamlScalarNode(body), out var value) && value is YamlMappingNode mapping
                        ? mapping
                        : new YamlMappingNode();
                }
            }
        }

        throw new KubernetesConfigException($"kubeconfig has no {list} entry named '{name}'");
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { Length: > 0 } text }
            ? text
            : null;

    /// <summary>PEM text from a base64 "-data" field, else from the file a path field names.</summary>
    private static string? DataOrFile(YamlMappingNode map, string dataKey, string fileKey, string baseDirectory)
    {
        if (Scalar(map, dataKey) is { } data)
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(data));
        }

        return Scalar(map, fileKey) is { } file ? File.ReadAllText(Path.GetFullPath(file, baseDirectory)) : null;
    }
}
