using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.E2E.Cluster;

/// <summary>One condition of an object's status, as Knative and KEDA write them.</summary>
internal sealed record ObservedCondition(string Type, string? Status, string? Reason, string? Message)
{
    public override string ToString() => $"{Type}={Status} {Reason}: {Message}";
}

/// <summary>
/// Objects of any kind, as JSON, through the official client's CustomObjects operations (which
/// serve the core group too): what `kubectl apply`, `get` and `delete` do for a manifest.
/// </summary>
internal sealed class ClusterObjects(IKubernetes client)
{
    /// <summary>Creates the object, or replaces the live one (its resourceVersion kept), as a re-apply of a manifest would.</summary>
    public async Task ApplyAsync(JsonObject manifest, CancellationToken cancellationToken)
    {
        var type = TypeOf(manifest);
        var ns = NamespaceOf(manifest);
        var name = (string)manifest["metadata"]!["name"]!;
        try
        {
            await (ns is null
                ? client.CustomObjects.CreateClusterCustomObjectAsync<JsonObject>(manifest, type.Group, type.Version, type.Plural, cancellationToken: cancellationToken)
                : client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(manifest, type.Group, type.Version, ns, type.Plural, cancellationToken: cancellationToken));
        }
        catch (HttpOperationException e) when (e.IsAlreadyExists())
        {
            await KubernetesRetry.OnConflictAsync(
                async token =>
                {
                    var live = await GetAsync(type, ns, name, token) ?? throw new InvalidOperationException($"{type.Plural} {ns}/{name} vanished while being applied");
                    var replacement = manifest.DeepClone().AsObject();
                    replacement["metadata"]!["resourceVersion"] = (string?)live["metadata"]?["resourceVersion"];
                    await (ns is null
                        ? client.CustomObjects.ReplaceClusterCustomObjectAsync<JsonObject>(replacement, type.Group, type.Version, type.Plural, name, cancellationToken: token)
                        : client.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonObject>(replacement, type.Group, type.Version, ns, type.Plural, name, cancellationToken: token));
                },
                cancellationToken: cancellationToken);
        }
    }

    /// <summary>The live object, or null when the API server has none.</summary>
    public async Task<JsonObject?> GetAsync(ResourceType type, string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await (ns is null
                ? client.CustomObjects.GetClusterCustomObjectAsync<JsonObject>(type.Group, type.Version, type.Plural, name, cancellationToken)
                : client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(type.Group, type.Version, ns, type.Plural, name, cancellationToken));
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>The objects of one type in a namespace that carry every label of the selector (empty when the type is not served).</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceType type, string ns, string labelSelector, CancellationToken cancellationToken)
    {
        try
        {
            var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(
                type.Group, type.Version, ns, type.Plural, labelSelector: labelSelector, cancellationToken: cancellationToken);
            return (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return [];
        }
    }

    /// <summary>Deletes the object a manifest names; one already gone is fine. Dependents go by the API server's garbage collector.</summary>
    public async Task DeleteAsync(JsonObject manifest, CancellationToken cancellationToken)
    {
        var type = TypeOf(manifest);
        var ns = NamespaceOf(manifest);
        var name = (string)manifest["metadata"]!["name"]!;
        try
        {
            await (ns is null
                ? client.CustomObjects.DeleteClusterCustomObjectAsync(type.Group, type.Version, type.Plural, name, cancellationToken: cancellationToken)
                : client.CustomObjects.DeleteNamespacedCustomObjectAsync(type.Group, type.Version, ns, type.Plural, name, cancellationToken: cancellationToken));
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // Already gone.
        }
    }

    public async Task<bool> ExistsAsync(JsonObject manifest, CancellationToken cancellationToken) =>
        await GetAsync(TypeOf(manifest), NamespaceOf(manifest), (string)manifest["metadata"]!["name"]!, cancellationToken) is not null;

    /// <summary>
    /// The resource a manifest's apiVersion and kind name. The plural is the lower-cased kind plus
    /// "s", which holds for every kind the release, the sample and hack/e2e apply; a kind it would
    /// get wrong (ending in s, x or y) stops the suite rather than guess. An object is namespaced
    /// exactly when its manifest names a namespace, as every namespaced object of ours does.
    /// </summary>
    public static ResourceType TypeOf(JsonObject manifest)
    {
        var apiVersion = (string?)manifest["apiVersion"] ?? throw new ArgumentException("manifest without apiVersion", nameof(manifest));
        var kind = (string?)manifest["kind"] ?? throw new ArgumentException("manifest without kind", nameof(manifest));
        if (kind.EndsWith('s') || kind.EndsWith('x') || kind.EndsWith('y'))
        {
            throw new NotSupportedException($"no plural rule for kind {kind}; add it to ClusterObjects.TypeOf");
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return new ResourceType(group, version, kind.ToLowerInvariant() + "s", NamespaceOf(manifest) is not null);
    }

    public static string? NamespaceOf(JsonObject manifest) => (string?)manifest["metadata"]?["namespace"];

    /// <summary>The status condition of that type, or null while the object has none.</summary>
    public static ObservedCondition? Condition(JsonObject? observed, string type) =>
        (observed?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Where(c => (string?)c["type"] == type)
            .Select(c => new ObservedCondition(type, (string?)c["status"], (string?)c["reason"], (string?)c["message"]))
            .FirstOrDefault();

    /// <summary>Every condition, one line each, for a failure message.</summary>
    public static string DescribeConditions(JsonObject? observed) =>
        observed is null ? "(no such object)" : string.Join("; ", (observed["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => new ObservedCondition((string?)c["type"] ?? "?", (string?)c["status"], (string?)c["reason"], (string?)c["message"]).ToString()));
}
