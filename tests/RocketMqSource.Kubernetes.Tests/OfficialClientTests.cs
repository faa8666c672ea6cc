using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using RocketMqSource.Testing;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>
/// The API-server double serves the official client (KubernetesClient) with API-server
/// semantics: server-set metadata, 404/409/410 Status bodies read by <see cref="ApiErrors"/>,
/// optimistic concurrency, the status subresource, merge and JSON patches, selectors,
/// garbage collection, and watch (from a version, bookmarks, ERROR 410 after compaction).
/// </summary>
public sealed class OfficialClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly CancellationTokenSource stop = new();
    private ApiServerFixture api = null!;

    private k8s.Kubernetes Client => api.Client;

    public async Task InitializeAsync() => api = await ApiServerFixture.StartAsync();

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await api.DisposeAsync();
        stop.Dispose();
    }

    [Fact]
    public async Task CreateSetsServerFieldsAndErrorsCarryTheStatus()
    {
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("orders"), "shop");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(1, created.Metadata.Generation);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(("apps/v1", "Deployment"), (created.ApiVersion, created.Kind));
        var request = Assert.Single(api.Server.Requests, r => r.Method == "POST");
        Assert.Equal("/apis/apps/v1/namespaces/shop/deployments", request.Path);
        Assert.True(request.HadBearerToken);

        var duplicate = await Assert.ThrowsAsync<HttpOperationException>(() => Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("orders"), "shop"));
        Assert.True(duplicate.IsAlreadyExists());
        Assert.False(duplicate.IsConflict());
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => Client.AppsV1.ReadNamespacedDeploymentAsync("nope", "shop"));
        Assert.True(missing.IsNotFound());
        Assert.Equal("Kubernetes API 404 NotFound: deployments.apps \"nope\" not found", missing.Describe());
    }

    [Fact]
    public async Task AStaleResourceVersionConflictsAndRetryOnConflictRereads()
    {
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("orders"), "shop");
        created.Spec.Replicas = 5;
        var scaled = await Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "orders", "shop");
        Assert.Equal(2, scaled.Metadata.Generation);

        created.Spec.Replicas = 9;
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => Client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "orders", "shop"));
        Assert.True(stale.IsConflict());
        Assert.Equal(HttpStatusCode.Conflict, stale.Code());

        var attempts = 0;
        var result = await KubernetesRetry.OnConflictAsync(async token =>
        {
            attempts++;
            var current = await Client.AppsV1.ReadNamespacedDeploymentAsync("orders", "shop", cancellationToken: token);
            if (attempts == 1)
            {
                // Another writer gets in between our read and our write.
                await Client.AppsV1.PatchNamespacedDeploymentAsync(Merge(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 3 } }), "orders", "shop", cancellationToken: token);
            }

            current.SetAnnotation("touched", "yes");
            return await Client.AppsV1.ReplaceNamespacedDeploymentAsync(current, "orders", "shop", cancellationToken: token);
        });
        Assert.Equal(2, attempts);
        Assert.Equal((3, "yes"), (result.Spec.Replicas, result.GetAnnotation("touched")));
    }

    [Fact]
    public async Task TheStatusSubresourceSeparatesSpecAndStatusWrites()
    {
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("orders"), "shop");

        created.Status = new V1DeploymentStatus { ReadyReplicas = 2, ObservedGeneration = 1 };
        created.Spec.Replicas = 7;
        var afterStatus = await Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(created, "orders", "shop");
        Assert.Equal((2, 2, 1L), (afterStatus.Status.ReadyReplicas, afterStatus.Spec.Replicas, afterStatus.Metadata.Generation));

        afterStatus.Status.ReadyReplicas = 0;
        var afterMain = await Client.AppsV1.ReplaceNamespacedDeploymentAsync(afterStatus, "orders", "shop");
        Assert.Equal(2, afterMain.Status.ReadyReplicas);
    }

    [Fact]
    public async Task JsonPatchAppliesAndAFailingTestIsUnprocessable()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("orders"), "shop");
        var operations = """[{"op":"test","path":"/spec/replicas","value":2},{"op":"replace","path":"/spec/replicas","value":4},{"op":"add","path":"/metadata/labels/tier","value":"edge"}]""";

        var patched = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(operations, V1Patch.PatchType.JsonPatch), "orders", "shop");
        var failed = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(operations, V1Patch.PatchType.JsonPatch), "orders", "shop"));

        Assert.Equal((4, "edge", 2L), (patched.Spec.Replicas, patched.GetLabel("tier"), patched.Metadata.Generation));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.Code());
        Assert.StartsWith("application/json-patch+json", api.Server.Requests[^1].ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListsFilterByLabelsAndNamespaceAndAnyGroupWorksThroughCustomObjects()
    {
        foreach (var (ns, name, app) in new[] { ("a", "one", "web"), ("a", "two", "db"), ("b", "three", "web") })
        {
            var map = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } } };
            await Client.CoreV1.CreateNamespacedConfigMapAsync(map, ns);
        }

        var web = await Client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: "app=web");
        var inA = await Client.CustomObjects.ListNamespacedCustomObjectAsync<KubernetesList<V1PartialObjectMetadata>>("", "v1", "a", "configmaps", labelSelector: "app in (web,db),app!=db");

        Assert.Equal(["one", "three"], web.Items.Select(m => m.Name()));
        Assert.Equal(["one"], inA.Items.Select(m => m.Name()));
        Assert.Equal("/api/v1/namespaces/a/configmaps", api.Server.Requests[^1].Path);
        Assert.False(string.IsNullOrEmpty(web.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task DeletingAnOwnerCascadesToItsDependentsUnlessOrphaned()
    {
        var first = await CreateSourceAsync("first");
        var second = await CreateSourceAsync("second");
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("first-adapter", first), "shop");
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("second-adapter", second), "shop");

        await Client.CustomObjects.DeleteNamespacedCustomObjectAsync("sources.knative.dev", "v1alpha1", "shop", "rocketmqsources", "first", new V1DeleteOptions { PropagationPolicy = "Background" });
        await Client.CustomObjects.DeleteNamespacedCustomObjectAsync("sources.knative.dev", "v1alpha1", "shop", "rocketmqsources", "second", new V1DeleteOptions { PropagationPolicy = "Orphan" });

        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => Client.AppsV1.ReadNamespacedDeploymentAsync("first-adapter", "shop"));
        Assert.True(gone.IsNotFound());
        Assert.Empty((await Client.AppsV1.ReadNamespacedDeploymentAsync("second-adapter", "shop")).OwnerReferences());
    }

    [Fact]
    public async Task AWatchFromAListedVersionStreamsTheChangesInOrderWithBookmarks()
    {
        var list = await Client.CoordinationV1.ListNamespacedLeaseAsync("ns");
        var events = Collect(list.Metadata.ResourceVersion, _ => { });
        await Eventually.WaitAsync(() => api.Server.Store.OpenWatches == 1, "watch open");

        var created = await Client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("during"), "ns");
        created.Spec.HolderIdentity = "b";
        await Client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, "during", "ns");
        await Client.CoordinationV1.DeleteNamespacedLeaseAsync("during", "ns");
        api.Server.Store.EmitBookmarks();

        var seen = await Take(events, 4);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted, WatchEventType.Bookmark], seen.Select(e => e.Type));
        Assert.Equal("b", seen[1].Lease.Spec.HolderIdentity);
        Assert.Equal(api.Server.Store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), seen[3].Lease.ResourceVersion());
        var watch = Assert.Single(api.Server.Requests, r => r.IsWatch);
        Assert.Contains("allowWatchBookmarks=true", watch.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWatchFromACompactedVersionGetsOneError410AndTheStreamEnds()
    {
        var list = await Client.CoordinationV1.ListNamespacedLeaseAsync("ns");
        await Client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("a"), "ns");
        api.Server.Store.Compact();
        var errors = new List<Exception>();

        var seen = await Take(Collect(list.Metadata.ResourceVersion, errors.Add), 0, expectEnd: true);

        Assert.Empty(seen);
        var status = Assert.IsType<KubernetesException>(Assert.Single(errors)).Status;
        Assert.Equal((410, "Expired"), (status.Code, status.Reason));
    }

    [Fact]
    public async Task AWrongTokenIsUnauthorized()
    {
        using var stranger = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = api.Server.BaseUri.ToString(), AccessToken = "wrong" });

        var denied = await Assert.ThrowsAsync<HttpOperationException>(() => stranger.CoreV1.ListNamespacedSecretAsync("default"));

        Assert.Equal(HttpStatusCode.Unauthorized, denied.Code());
    }

    private ChannelReader<(WatchEventType Type, V1Lease Lease)> Collect(string resourceVersion, Action<Exception> onError)
    {
        var channel = Channel.CreateUnbounded<(WatchEventType, V1Lease)>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in Client.CoordinationV1.WatchListNamespacedLeaseAsync("ns", allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: stop.Token))
                {
                    await channel.Writer.WriteAsync(change);
                }
            }
            catch (OperationCanceledException)
            {
                // Test finished.
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        });
        return channel.Reader;
    }

    private static async Task<List<(WatchEventType Type, V1Lease Lease)>> Take(ChannelReader<(WatchEventType Type, V1Lease Lease)> events, int count, bool expectEnd = false)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var seen = new List<(WatchEventType, V1Lease)>();
        while (seen.Count < count)
        {
            seen.Add(await events.ReadAsync(timeout.Token));
        }

        if (expectEnd)
        {
            Assert.False(await events.WaitToReadAsync(timeout.Token), "the stream should have ended");
        }

        return seen;
    }

    private async Task<V1PartialObjectMetadata> CreateSourceAsync(string name)
    {
        var source = new JsonObject
        {
            ["apiVersion"] = "sources.knative.dev/v1alpha1", ["kind"] = "RocketMQSource",
            ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = new JsonObject { ["topic"] = "orders" },
        };
        return await Client.CustomObjects.CreateNamespacedCustomObjectAsync<V1PartialObjectMetadata>(source, "sources.knative.dev", "v1alpha1", "shop", "rocketmqsources");
    }

    private static V1Deployment Deployment(string name, V1PartialObjectMetadata? owner = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string> { ["app"] = name },
            OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = owner.Name(), Uid = owner.Uid(), Controller = true }],
        },
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "adapter", Image = "adapter:1" }] },
            },
        },
    };

    private static V1Lease Lease(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 10 },
    };

    private static V1Patch Merge(JsonObject patch) => new(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
}
