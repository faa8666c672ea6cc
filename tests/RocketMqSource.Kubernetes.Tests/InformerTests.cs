using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RocketMqSource.Kubernetes.Informers;
using RocketMqSource.Testing;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>The informer over the official client, against the API-server double.</summary>
public sealed class InformerTests : IAsyncLifetime
{
    private const string Collection = "/api/v1/namespaces/ns/configmaps";
    private static readonly ResourceType ConfigMaps = new("", "v1", "configmaps");
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<string> log = new();
    private ApiServerFixture api = null!;
    private Task? running;

    private k8s.Kubernetes Client => api.Client;

    public async Task InitializeAsync() => api = await ApiServerFixture.StartAsync();

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        if (running is not null)
        {
            await running;
        }

        await api.DisposeAsync();
        stop.Dispose();
    }

    [Fact]
    public async Task SyncsThenReportsAddUpdateDelete()
    {
        api.Server.Seed(Collection, Map("a", "1"));
        api.Server.Seed(Collection, Map("b", "1"));
        var informer = Start(new InformerOptions());

        await informer.WaitForSyncAsync(stop.Token);
        Assert.True(informer.HasSynced);
        Assert.Equal(["added a", "added b"], log.Order());

        await Client.CoreV1.CreateNamespacedConfigMapAsync(Typed(Map("c", "1")), "ns");
        await Client.CoreV1.PatchNamespacedConfigMapAsync(MergeData("2"), "a", "ns");
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("b", "ns");

        await Eventually.WaitAsync(() => log.Count == 5, "three more handler calls");
        Assert.Equal(["added c", "updated a 1->2", "deleted b"], log.Skip(2));
        Assert.Equal(["a", "c"], informer.List().Select(m => m.Name()).Order());
        Assert.Equal("2", informer.Get("a", "ns")!.Data["v"]);
        Assert.Null(informer.Get("b", "ns"));
        Assert.Equal(1, informer.ListCount);
    }

    [Fact]
    public async Task StreamEndResumesFromTheLastVersionWithoutRelisting()
    {
        var informer = Start(new InformerOptions());
        await informer.WaitForSyncAsync(stop.Token);
        await Eventually.WaitAsync(() => api.Server.Store.OpenWatches == 1, "watch open");

        var versionAtClose = informer.LastResourceVersion;
        api.Server.Store.CloseWatches();
        await Eventually.WaitAsync(() => api.Server.Requests.Count(r => r.IsWatch) == 2, "second watch");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Typed(Map("late", "1")), "ns");

        await Eventually.WaitAsync(() => log.Contains("added late"), "event after resume");
        Assert.Equal(1, informer.ListCount);
        var resumed = api.Server.Requests.Where(r => r.IsWatch).Last();
        Assert.Contains($"resourceVersion={versionAtClose}&", resumed.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GoneRelistsAndReportsWhatChangedMeanwhile()
    {
        api.Server.Seed(Collection, Map("stays", "1"));
        api.Server.Seed(Collection, Map("goes", "1"));
        var blocked = true;
        var informer = Start(new InformerOptions { RetryDelay = TimeSpan.FromMilliseconds(50) });
        await informer.WaitForSyncAsync(stop.Token);
        await Eventually.WaitAsync(() => api.Server.Store.OpenWatches == 1, "watch open");

        // Cut the informer off, change things it cannot see, and compact the history.
        api.Server.FailureInjector = r => r.IsWatch && Volatile.Read(ref blocked) ? 503 : null;
        api.Server.Store.CloseWatches();
        await Eventually.WaitAsync(() => api.Server.Requests.Count(r => r.IsWatch) >= 2, "refused re-watch");
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("goes", "ns");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(Typed(Map("new", "1")), "ns");
        await Client.CoreV1.PatchNamespacedConfigMapAsync(MergeData("2"), "stays", "ns");
        api.Server.Store.Compact();
        Volatile.Write(ref blocked, false);

        await Eventually.WaitAsync(() => informer.ListCount == 2, "relist after 410");
        await Eventually.WaitAsync(() => log.Count == 5, "relist diff delivered");
        Assert.Equal(["added new", "deleted goes", "updated stays 1->2"], log.Skip(2).Order());
        Assert.Equal(["new", "stays"], informer.List().Select(m => m.Name()).Order());
    }

    [Fact]
    public async Task FailedListsBackOffDoublingUpToTheCap()
    {
        // A kind that is not served (KEDA absent) fails every list: the pause doubles from RetryDelay
        // up to MaxRetryDelay, as client-go's reflector backs off, rather than polling at a fixed rate.
        var clock = new ManualClock { ControlsTimers = true };
        var failing = true;
        api.Server.FailureInjector = r => !r.IsWatch && Volatile.Read(ref failing) ? 503 : null;
        var informer = Start(new InformerOptions { RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(4), Time = clock });
        int Lists() => api.Server.Requests.Count(r => !r.IsWatch);

        int[] expectedPauses = [1, 2, 4, 4];
        for (var failed = 1; failed <= expectedPauses.Length; failed++)
        {
            await Eventually.WaitAsync(() => Lists() == failed && clock.PendingTimers == 1, $"list {failed} failed and its pause set");
            var pause = TimeSpan.FromSeconds(expectedPauses[failed - 1]);
            clock.Advance(pause - TimeSpan.FromMilliseconds(1));
            Assert.Equal(failed, Lists()); // not before the pause is over
            if (failed == expectedPauses.Length)
            {
                Volatile.Write(ref failing, false);
            }

            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        await informer.WaitForSyncAsync(stop.Token);
        Assert.Equal(expectedPauses.Length + 1, Lists());
    }

    [Fact]
    public async Task ResyncRedeliversCachedObjectsAsUpdates()
    {
        api.Server.Seed(Collection, Map("a", "1"));
        var resyncs = 0;
        var informer = new Informer<V1ConfigMap>(Client, ConfigMaps, "ns", new InformerOptions { ResyncPeriod = TimeSpan.FromMilliseconds(100) });
        informer.Updated += (old, current) =>
        {
            if (ReferenceEquals(old, current))
            {
                Interlocked.Increment(ref resyncs);
            }
        };
        running = informer.RunAsync(stop.Token);

        await Eventually.WaitAsync(() => Volatile.Read(ref resyncs) >= 2, "two resyncs");
        Assert.Equal(1, informer.ListCount);
    }

    [Fact]
    public async Task LabelSelectorLimitsTheCacheAndAFailingHandlerDoesNotStopIt()
    {
        api.Server.Seed(Collection, Map("web", "1", app: "web"));
        api.Server.Seed(Collection, Map("db", "1", app: "db"));
        var errors = 0;
        var informer = new Informer<V1ConfigMap>(Client, ConfigMaps, "ns", new InformerOptions { LabelSelector = "app=web" });
        informer.Added += obj => throw new InvalidOperationException("handler bug");
        informer.Added += obj => log.Enqueue($"added {obj.Name()}");
        informer.Error += _ => Interlocked.Increment(ref errors);
        running = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);

        await Client.CoreV1.CreateNamespacedConfigMapAsync(Typed(Map("web2", "1", app: "web")), "ns");

        await Eventually.WaitAsync(() => informer.List().Count == 2, "second web object cached");
        Assert.Equal(["web", "web2"], informer.List().Select(m => m.Name()).Order());
        Assert.True(Volatile.Read(ref errors) >= 2);
    }

    [Fact]
    public async Task AMetadataOnlyInformerKeepsNamesAndVersionsButNoData()
    {
        api.Server.Seed("/api/v1/namespaces/ns/secrets", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "creds" }, ["data"] = new JsonObject { ["secretKey"] = "c2VjcmV0" },
        });
        var informer = new Informer<V1PartialObjectMetadata>(Client, ResourceType.Secrets, "ns");
        running = informer.RunAsync(stop.Token);

        await informer.WaitForSyncAsync(stop.Token);

        var cached = Assert.Single(informer.List());
        Assert.Equal(("creds", "ns"), (cached.Name(), cached.Namespace()));
        Assert.False(string.IsNullOrEmpty(cached.ResourceVersion()));
        Assert.DoesNotContain("c2VjcmV0", KubernetesJson.Serialize(cached), StringComparison.Ordinal);
    }

    private Informer<V1ConfigMap> Start(InformerOptions options)
    {
        var informer = new Informer<V1ConfigMap>(Client, ConfigMaps, "ns", options);
        informer.Added += obj => log.Enqueue($"added {obj.Name()}");
        informer.Updated += (old, current) => log.Enqueue($"updated {current.Name()} {old.Data["v"]}->{current.Data["v"]}");
        informer.Deleted += obj => log.Enqueue($"deleted {obj.Name()}");
        running = informer.RunAsync(stop.Token);
        return informer;
    }

    private static V1ConfigMap Typed(JsonObject map) => KubernetesJson.Deserialize<V1ConfigMap>(map.ToJsonString());

    private static V1Patch MergeData(string value) => new(new JsonObject { ["data"] = new JsonObject { ["v"] = value } }.ToJsonString(), V1Patch.PatchType.MergePatch);

    private static JsonObject Map(string name, string value, string app = "x") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns", ["labels"] = new JsonObject { ["app"] = app } },
        ["data"] = new JsonObject { ["v"] = value },
    };
}
