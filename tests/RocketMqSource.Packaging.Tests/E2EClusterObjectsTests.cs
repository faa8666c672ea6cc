using System.Text.Json.Nodes;
using k8s;
using RocketMqSource.E2E.Cluster;
using RocketMqSource.Testing;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Packaging.Tests;

/// <summary>
/// The end-to-end suite's way of installing and removing manifests (ClusterObjects over the official
/// client's CustomObjects), run against the API-server double with the real release config and
/// sample: every kind in them is addressed right, cluster-scoped or namespaced, core group or not.
/// </summary>
public sealed class E2EClusterObjectsTests
{
    private static List<JsonObject> ReleaseAndSample() =>
        [.. Manifest.LoadConfig().Concat(Manifest.LoadDirectory(RepoPaths.Combine("samples", "food-delivery", "config"))).Select(m => m.Document)];

    [Fact]
    public async Task Applies_reapplies_lists_and_deletes_every_object_of_the_release_and_the_sample()
    {
        await using var server = await KubernetesApiServerDouble.StartAsync();
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString() });
        var objects = new ClusterObjects(client);
        var manifests = ReleaseAndSample();

        foreach (var manifest in manifests)
        {
            await objects.ApplyAsync(manifest, CancellationToken.None);
        }

        var source = manifests.Single(m => (string?)m["kind"] == "RocketMQSource").DeepClone().AsObject();
        source["spec"]!["topic"] = "ordres";
        await objects.ApplyAsync(source, CancellationToken.None);
        var reapplied = await objects.GetAsync(ClusterObjects.TypeOf(source), ClusterObjects.NamespaceOf(source), (string)source["metadata"]!["name"]!, CancellationToken.None);
        var triggers = await objects.ListAsync(ClusterObjects.TypeOf(manifests.First(m => (string?)m["kind"] == "Trigger")), "food-delivery", "app.kubernetes.io/part-of=food-delivery", CancellationToken.None);

        Assert.All(manifests, m => Assert.NotNull(server.TryGet(PathOf(m))));
        Assert.Equal("ordres", (string?)reapplied?["spec"]?["topic"]);
        Assert.Equal(3, triggers.Count);

        foreach (var manifest in Enumerable.Reverse(manifests))
        {
            await objects.DeleteAsync(manifest, CancellationToken.None);
        }

        foreach (var manifest in manifests)
        {
            Assert.False(await objects.ExistsAsync(manifest, CancellationToken.None), $"{manifest["kind"]} {manifest["metadata"]!["name"]} still there");
        }
    }

    [Fact]
    public void A_kind_whose_plural_the_rule_would_get_wrong_is_refused()
    {
        var policy = new JsonObject { ["apiVersion"] = "networking.k8s.io/v1", ["kind"] = "NetworkPolicy", ["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = "n" } };

        Assert.Throws<NotSupportedException>(() => ClusterObjects.TypeOf(policy));
    }

    /// <summary>
    /// The object's URL path as the API server serves it: the plural of each built-in and Knative
    /// kind as the Kubernetes and Knative APIs name it, ours from the CRD's spec.names.plural.
    /// </summary>
    private static string PathOf(JsonObject manifest)
    {
        var plurals = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Namespace"] = "namespaces", ["ServiceAccount"] = "serviceaccounts", ["ConfigMap"] = "configmaps", ["Secret"] = "secrets",
            ["Service"] = "services", ["Deployment"] = "deployments", ["Role"] = "roles", ["RoleBinding"] = "rolebindings",
            ["ClusterRole"] = "clusterroles", ["ClusterRoleBinding"] = "clusterrolebindings", ["CustomResourceDefinition"] = "customresourcedefinitions",
            ["Broker"] = "brokers", ["Trigger"] = "triggers",
            [(string)Manifest.Crd().Document["spec"]!["names"]!["kind"]!] = (string)Manifest.Crd().Document["spec"]!["names"]!["plural"]!,
        };
        var apiVersion = (string)manifest["apiVersion"]!;
        var prefix = apiVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";
        var ns = (string?)manifest["metadata"]!["namespace"] is { } n ? $"/namespaces/{n}" : string.Empty;
        return $"{prefix}{ns}/{plurals[(string)manifest["kind"]!]}/{manifest["metadata"]!["name"]}";
    }
}
