using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using RocketMqSource.Kubernetes.Informers;
using RocketMqSource.Testing;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>
/// Informers started on first use (knative/pkg apis/duck CachedInformerFactory): synced before the
/// first caller reads, shared by every later caller, trimmed as asked, and a kind nobody serves
/// reaches the caller as the API server's 404, then is asked again next time.
/// </summary>
public sealed class InformerFactoryTests : IAsyncLifetime
{
    private const string ConfigMaps = "/api/v1/namespaces/food/configmaps";
    private static readonly ResourceType ConfigMapType = new("", "v1", "configmaps");
    private readonly CancellationTokenSource stop = new();
    private ApiServerFixture api = null!;

    public async Task InitializeAsync() => api = await ApiServerFixture.StartAsync(new KubernetesApiServerOptions { BearerToken = ApiServerFixture.Token, NotServedGroups = ["keda.sh"] });

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await api.DisposeAsync();
        stop.Dispose();
    }

    [Fact]
    public async Task The_first_caller_gets_a_synced_trimmed_cache_and_later_callers_share_it_without_a_request()
    {
        api.Server.Seed(ConfigMaps, Map("default"));
        var factory = new InformerFactory(api.Client, stop.Token);
        var changed = new ConcurrentQueue<string>();
        factory.Changed += (resource, o) => changed.Enqueue($"{resource.Plural} {o.Namespace()}/{o.Name()}");

        var cache = await factory.GetAsync<V1ConfigMap>(ConfigMapType, WithoutData, CancellationToken.None);
        Assert.Equal(("default", null), (cache.Get("default", "food")!.Name(), cache.Get("default", "food")!.Data));
        api.Server.ClearRequests();
        var again = await factory.GetAsync<V1ConfigMap>(ConfigMapType, WithoutData, CancellationToken.None);

        Assert.Same(cache, again);
        // No list for the second caller; the first informer's own watch may open after its list synced.
        Assert.DoesNotContain(api.Server.Requests, r => !r.IsWatch);
        Assert.True(api.Server.Requests.Count(r => r.IsWatch) <= 1, string.Join("\n", api.Server.Requests));
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(KubernetesJson.Deserialize<V1ConfigMap>(Map("other").ToJsonString()), "food");
        await Eventually.WaitAsync(() => changed.Contains("configmaps food/other"), "the change reported");
        Assert.NotNull(cache.Get("other", "food"));
        await stop.CancelAsync();
        await factory.StoppedAsync();
    }

    [Fact]
    public async Task A_kind_nobody_serves_is_the_callers_404_and_is_asked_again_next_time()
    {
        var factory = new InformerFactory(api.Client, stop.Token);
        var resource = new ResourceType("keda.sh", "v1alpha1", "scaledobjects");

        var first = await Assert.ThrowsAsync<HttpOperationException>(() => factory.GetAsync<V1PartialObjectMetadata>(resource, null, CancellationToken.None));
        await Assert.ThrowsAsync<HttpOperationException>(() => factory.GetAsync<V1PartialObjectMetadata>(resource, null, CancellationToken.None));

        Assert.True(first.IsNotFound());
        Assert.Equal(2, api.Server.Requests.Count(r => r.Path.Contains("scaledobjects", StringComparison.Ordinal)));
    }

    private static V1ConfigMap WithoutData(V1ConfigMap map)
    {
        map.Data = null;
        return map;
    }

    private static JsonObject Map(string name) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "food" },
        ["data"] = new JsonObject { ["value"] = "not kept" },
    };
}
