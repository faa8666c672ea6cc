using System.Net;
using System.Text.Json.Nodes;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes.Tests;

public sealed class ClientCrudTests : IAsyncLifetime
{
    private ApiServerFixture api = null!;

    private KubernetesClient Client => api.Client;

    public async Task InitializeAsync() => api = await ApiServerFixture.StartAsync();

    public async Task DisposeAsync() => await api.DisposeAsync();

    [Fact]
    public async Task CreateAssignsServerFieldsAndGetReturnsThem()
    {
        var created = await Client.CreateAsync(ResourceType.Deployments, ModelJsonTests.SampleDeployment());

        Assert.False(string.IsNullOrEmpty(created.Metadata!.Uid));
        Assert.Equal(1, created.Metadata.Generation);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        var fetched = await Client.GetAsync<V1Deployment>(ResourceType.Deployments, "orders-adapter", "shop");
        Assert.Equal(created.Metadata.ResourceVersion, fetched.Metadata!.ResourceVersion);
        Assert.Equal("creds", fetched.Spec!.Template!.Spec!.Containers[0].Env![1].ValueFrom!.SecretKeyRef!.Name);

        var request = Assert.Single(api.Server.Requests, r => r.Method == "POST");
        Assert.Equal("/apis/apps/v1/namespaces/shop/deployments", request.Path);
        Assert.True(request.HadBearerToken);
    }

    [Fact]
    public async Task DuplicateCreateIsAlreadyExistsAndMissingObjectIsNotFound()
    {
        await Client.CreateAsync(ResourceType.Deployments, ModelJsonTests.SampleDeployment());

        var duplicate = await Assert.ThrowsAsync<KubernetesApiException>(() => Client.CreateAsync(ResourceType.Deployments, ModelJsonTests.SampleDeployment()));
        Assert.True(duplicate.IsAlreadyExists);
        Assert.False(duplicate.IsConflict);

        var missing = await Assert.ThrowsAsync<KubernetesApiException>(() => Client.GetAsync<V1Deployment>(ResourceType.Deployments, "nope", "shop"));
        Assert.True(missing.IsNotFound);
        Assert.Equal("NotFound", missing.Status!.Reason);
        Assert.Equal(404, missing.Status.Code);
        Assert.Contains("\"nope\" not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaleResourceVersionIsConflictAndGenerationMovesOnlyWithSpec()
    {
        var created = await Client.CreateAsync(ResourceType.Deployments, ModelJsonTests.SampleDeployment());

        created.Metadata!.Labels!["team"] = "payments";
        var relabeled = await Client.ReplaceAsync(ResourceType.Deployments, created);
        Assert.Equal(1, relabeled.Metadata!.Generation);
        Assert.NotEqual(created.Metadata.ResourceVersion, relabeled.Metadata.ResourceVersion);

        relabeled.Spec!.Replicas = 5;
        var scaled = await Client.ReplaceAsync(ResourceType.Deployments, relabeled);
        Assert.Equal(2, scaled.Metadata!.Generation);

        created.Spec!.Replicas = 9;
        var stale = await Assert.ThrowsAsync<KubernetesApiException>(() => Client.ReplaceAsync(ResourceType.Deployments, created));
        Assert.True(stale.IsConflict);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
    }

    [Fact]
    public async Task RetryOnConflictRereadsAndSucceeds()
    {
        await Client.CreateAsync(ResourceType.Deployments, ModelJsonTests.SampleDeployment());
        var attempts = 0;

        var result = await KubernetesRetry.OnConflictAsync(async ct =>
        {
            attempts++;
            var current = await Client.GetAsync<V1Deployment>(ResourceType.Deployments, "orders-adapter", "shop", ct);
            if (attempts == 1)
            {
                // Another writer gets in between our read and our write.
                await Client.PatchAsync<V1Deployment>(ResourceType.Deployments, "orders-adapter", V1Patch.Merge(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 3 } }), "shop", cancellationToken: ct);
            }

            current.Metadata!.Annotations = new Dictionary<string, string> { ["touched"] = "yes" };
            return await Client.ReplaceAsync(ResourceType.Deployments, current, ct);
        });

        Assert.Equal(2, attempts);
        Assert.Equal("yes", result.Metadata!.Annotations!["touched"]);
        Assert.Equal(3, result.Spec!.Replicas);
        Assert.Contains(api.Server.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task StatusSubresourceSeparatesSpecAndStatusWrites()
    {
        var created = await Client.CreateAsync(ResourceType.Deployments, ModelJsonTests.SampleDeployment());

        created.Status = new V1DeploymentStatus { ReadyReplicas = 2, ObservedGeneration = 1 };
        created.Spec!.Replicas = 7;
        var afterStatus = await Client.ReplaceStatusAsync(ResourceType.Deployments, created);
        Assert.Equal(2, afterStatus.Status!.ReadyReplicas);
        Assert.Equal(2, afterStatus.Spec!.Replicas);
        Assert.Equal(1, afterStatus.Metadata!.Generation);

        afterStatus.Status!.ReadyReplicas = 0;
        var afterMain = await Client.ReplaceAsync(ResourceType.Deployments, afterStatus);
        Assert.Equal(2, afterMain.Status!.ReadyReplicas);

        var patched = await Client.PatchStatusAsync<V1Deployment>(
            ResourceType.Deployments, "orders-adapter",
            V1Patch.Merge(new JsonObject { ["status"] = new JsonObject { ["availableReplicas"] = 2 }, ["spec"] = new JsonObject { ["replicas"] = 0 } }),
            "shop");
        Assert.Equal(2, patched.Status!.AvailableReplicas);
        Assert.Equal(2, patched.Spec!.Replicas);
    }

    [Fact]
    public async Task JsonPatchAppliesAndAFailingTestIsRejected()
    {
        await Client.CreateAsync(ResourceType.Deployments, ModelJsonTests.SampleDeployment());

        var patched = await Client.PatchAsync<V1Deployment>(ResourceType.Deployments, "orders-adapter", V1Patch.Json(
        [
            new JsonObject { ["op"] = "test", ["path"] = "/spec/replicas", ["value"] = 2 },
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/replicas", ["value"] = 4 },
            new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels/tier", ["value"] = "edge" },
        ]), "shop");
        Assert.Equal(4, patched.Spec!.Replicas);
        Assert.Equal("edge", patched.Metadata!.Labels!["tier"]);
        Assert.Equal(2, patched.Metadata.Generation);

        var failed = await Assert.ThrowsAsync<KubernetesApiException>(() => Client.PatchAsync<V1Deployment>(ResourceType.Deployments, "orders-adapter",
            V1Patch.Json([new JsonObject { ["op"] = "test", ["path"] = "/spec/replicas", ["value"] = 2 }]), "shop"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);
        Assert.Equal("application/json-patch+json", api.Server.Requests[^1].ContentType);
    }

    [Fact]
    public async Task ListFiltersByLabelSelectorAndNamespace()
    {
        foreach (var (ns, name, app) in new[] { ("a", "one", "web"), ("a", "two", "db"), ("b", "three", "web") })
        {
            await Client.CreateAsync(ResourceType.ConfigMaps, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = app } },
            });
        }

        var web = await Client.ListAsync<JsonObject>(ResourceType.ConfigMaps, options: new ListOptions { LabelSelector = "app=web" });
        Assert.Equal(["one", "three"], web.Items.Select(ObjectMetadata.Name));
        var inA = await Client.ListAsync<JsonObject>(ResourceType.ConfigMaps, "a", new ListOptions { LabelSelector = "app in (web,db),app!=db" });
        Assert.Equal(["one"], inA.Items.Select(ObjectMetadata.Name));
        Assert.False(string.IsNullOrEmpty(web.Metadata!.ResourceVersion));
    }

    [Fact]
    public async Task CustomResourcesWorkUntypedIncludingClusterScope()
    {
        var crd = new ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions", Namespaced: false);
        var created = await Client.CreateAsync(crd, new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = "rocketmqsources.sources.knative.dev" },
            ["spec"] = new JsonObject { ["group"] = "sources.knative.dev" },
        });
        Assert.NotNull(created["metadata"]!["uid"]);
        Assert.Null(created["metadata"]!["namespace"]);

        var fetched = await Client.GetAsync<JsonObject>(crd, "rocketmqsources.sources.knative.dev");
        Assert.Equal("sources.knative.dev", (string?)fetched["spec"]!["group"]);
        Assert.Equal("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/rocketmqsources.sources.knative.dev", api.Server.Requests[^1].Path);
    }

    [Fact]
    public async Task DeleteCascadesToOwnedObjectsUnlessOrphaned()
    {
        var sources = new ResourceType("sources.knative.dev", "v1alpha1", "rocketmqsources");
        var first = await Client.CreateAsync(sources, Source("first"));
        var second = await Client.CreateAsync(sources, Source("second"));
        await Client.CreateAsync(ResourceType.Deployments, OwnedDeployment("first-adapter", first));
        await Client.CreateAsync(ResourceType.Deployments, OwnedDeployment("second-adapter", second));

        var status = await Client.DeleteAsync(sources, "first", "shop", new V1DeleteOptions { PropagationPolicy = PropagationPolicy.Background });
        Assert.Equal("Success", status!.Status);
        var gone = await Assert.ThrowsAsync<KubernetesApiException>(() => Client.GetAsync<V1Deployment>(ResourceType.Deployments, "first-adapter", "shop"));
        Assert.True(gone.IsNotFound);

        await Client.DeleteAsync(sources, "second", "shop", new V1DeleteOptions { PropagationPolicy = PropagationPolicy.Orphan });
        var orphan = await Client.GetAsync<V1Deployment>(ResourceType.Deployments, "second-adapter", "shop");
        Assert.Empty(orphan.Metadata!.OwnerReferences!);

        var again = await Assert.ThrowsAsync<KubernetesApiException>(() => Client.DeleteAsync(sources, "second", "shop"));
        Assert.True(again.IsNotFound);
    }

    [Fact]
    public async Task ServerSideApplySendsFieldManagerAndApplyContentType()
    {
        var apply = V1Patch.Apply(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" } });
        await Assert.ThrowsAsync<ArgumentException>(() => Client.PatchAsync<JsonObject>(ResourceType.ConfigMaps, "c", apply, "ns"));

        // The double does not implement apply; it answers 415 like a server without that patch type.
        api.Server.Seed("/api/v1/namespaces/ns/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c" } });
        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            Client.PatchAsync<JsonObject>(ResourceType.ConfigMaps, "c", apply, "ns", new PatchOptions { FieldManager = "ctl", Force = true }));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        var request = api.Server.Requests[^1];
        Assert.Equal("application/apply-patch+yaml", request.ContentType!.Split(';')[0]);
        Assert.Equal("?fieldManager=ctl&force=true", request.Query);
    }

    [Fact]
    public async Task WrongTokenIsUnauthorized()
    {
        using var stranger = new KubernetesClient(new KubernetesClientConfiguration { Host = api.Server.BaseUri.ToString(), AccessToken = "wrong" });
        var denied = await Assert.ThrowsAsync<KubernetesApiException>(() => stranger.ListAsync<JsonObject>(ResourceType.Secrets, "default"));
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
    }

    private static JsonObject Source(string name) => new()
    {
        ["apiVersion"] = "sources.knative.dev/v1alpha1",
        ["kind"] = "RocketMQSource",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "shop" },
        ["spec"] = new JsonObject { ["topic"] = "orders" },
    };

    private static V1Deployment OwnedDeployment(string name, JsonObject owner)
    {
        var deployment = ModelJsonTests.SampleDeployment();
        deployment.Metadata!.Name = name;
        deployment.Metadata.OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = "sources.knative.dev/v1alpha1", Kind = "RocketMQSource", Name = ObjectMetadata.Name(owner), Uid = ObjectMetadata.Uid(owner), Controller = true },
        ];
        return deployment;
    }
}
