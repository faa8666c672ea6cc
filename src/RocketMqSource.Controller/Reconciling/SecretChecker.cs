using System.Text.Json.Nodes;
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
            JsonObject secret;
            try
            {
                secret = await client.GetAsync<JsonObject>(ResourceType.Secrets, reference.Name, @namespace, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                return new SecretCheck(Reasons.SecretNotFound, $"Secret {@namespace}/{reference.Name} referenced by {reference.Field} not found", null);
            }

            var hasKey = secret["data"] is JsonObject data && data.ContainsKey(reference.Key)
                || secret["stringData"] is JsonObject stringData && stringData.ContainsKey(reference.Key);
            if (!hasKey)
            {
                return new SecretCheck(Reasons.SecretKeyNotFound, $"Secret {@namespace}/{reference.Name} has no key '{reference.Key}' (referenced by {reference.Field})", null);
            }

            versions[reference.Name] = secret["metadata"]?["resourceVersion"]?.GetValue<string>() ?? string.Empty;
        }

        return new SecretCheck(null, null, string.Join(',', versions.Select(v => $"{v.Key}={v.Value}")));
    }
}
