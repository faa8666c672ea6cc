using k8s;
using k8s.Autorest;
using k8s.Models;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// Checks that every referenced Secret and key exists (a missing one would leave the adapter
/// pod in CreateContainerConfigError) and collects their resourceVersions. Reads only key
/// names and metadata; values are never logged or copied.
/// </summary>
internal sealed class SecretChecker(IKubernetes client)
{
    public async Task<SecretCheck> CheckAsync(string @namespace, IReadOnlyList<SecretReference> references, CancellationToken cancellationToken)
    {
        if (references.Count == 0)
        {
            return SecretCheck.None;
        }

        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            V1Secret secret;
            try
            {
                secret = await client.CoreV1.ReadNamespacedSecretAsync(reference.Name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.IsNotFound())
            {
                return new SecretCheck(SecretProblem.NotFound, $"Secret {@namespace}/{reference.Name} referenced by {reference.Field} not found", null);
            }

            var hasKey = secret.Data?.ContainsKey(reference.Key) == true || secret.StringData?.ContainsKey(reference.Key) == true;
            if (!hasKey)
            {
                return new SecretCheck(SecretProblem.KeyNotFound, $"Secret {@namespace}/{reference.Name} has no key '{reference.Key}' (referenced by {reference.Field})", null);
            }

            versions[reference.Name] = secret.Metadata?.ResourceVersion ?? string.Empty;
        }

        return new SecretCheck(null, null, string.Join(',', versions.Select(v => $"{v.Key}={v.Value}")));
    }
}
