using System.Text.Json.Nodes;
using System.Threading.Channels;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes.Tests;

public sealed class WatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private ApiServerFixture api = null!;
    private readonly CancellationTokenSource stop = new();

    private KubernetesClient Client => api.Client;

    public async Task InitializeAsync() => api = await ApiServerFixture.StartAsync();

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await api.DisposeAsync();
        stop.Dispose();
    }

    [Fact]
    public async Task StreamsChangesAfterTheListedVersionInOrder()
    {
        await Client.CreateAsync(ResourceType.Leases, Lease("before"));
        var list = await Client.ListAsync<V1Lease>(ResourceType.Leases, "ns");
        var events = Collect<V1Lease>(ResourceType.Leases, "ns", new WatchOptions { ResourceVersion = list.Metadata!.ResourceVersion });
        await Eventually.TrueAsync(() => api.Server.Store.OpenWatches == 1, "watch open");

        var created = await Client.CreateAsync(ResourceType.Leases, Lease("during"));
        created.Spec!.HolderIdentity = "b";
        await Client.ReplaceAsync(ResourceType.Leases, created);
        await Client.DeleteAsync(ResourceType.Leases, "during", "ns");

        var seen = await Take(events, 3);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], seen.Select(e => e.Type));
        Assert.All(seen, e => Assert.Equal("during", e.Object!.Metadata!.Name));
        Assert.Equal("b", seen[1].Object!.Spec!.HolderIdentity);
        Assert.True(long.Parse(seen[2].ResourceVersion!) > long.Parse(seen[1].ResourceVersion!));
        var watch = Assert.Single(api.Server.Requests, r => r.IsWatch);
        Assert.Contains("allowWatchBookmarks=true", watch.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAVersionTheCurrentObjectsArriveAsAddedFirst()
    {
        await Client.CreateAsync(ResourceType.Leases, Lease("x"));
        await Client.CreateAsync(ResourceType.Leases, Lease("y"));

        var seen = await Take(Collect<V1Lease>(ResourceType.Leases, "ns", new WatchOptions()), 2);

        Assert.Equal(["x", "y"], seen.Select(e => e.Object!.Metadata!.Name).Order());
        Assert.All(seen, e => Assert.Equal(WatchEventType.Added, e.Type));
    }

    [Fact]
    public async Task BookmarksCarryTheCurrentVersion()
    {
        var list = await Client.ListAsync<V1Lease>(ResourceType.Leases, "ns");
        await Client.CreateAsync(ResourceType.Leases, Lease("other-namespace", "elsewhere"));
        var events = Collect<V1Lease>(ResourceType.Leases, "ns", new WatchOptions { ResourceVersion = list.Metadata!.ResourceVersion });
        await Eventually.TrueAsync(() => api.Server.Store.OpenWatches == 1, "watch open");

        api.Server.Store.EmitBookmarks();

        var bookmark = Assert.Single(await Take(events, 1));
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(api.Server.Store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), bookmark.ResourceVersion);
    }

    [Fact]
    public async Task ConfiguredBookmarkIntervalSendsBookmarksUnprompted()
    {
        await using var periodic = await Testing.Kubernetes.KubernetesApiServerDouble.StartAsync(new Testing.Kubernetes.KubernetesApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = periodic.BaseUri.ToString() });
        var list = await client.ListAsync<V1Lease>(ResourceType.Leases, "ns");

        using var patience = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        patience.CancelAfter(Patience);
        var first = await client.WatchAsync<V1Lease>(ResourceType.Leases, "ns", new WatchOptions { ResourceVersion = list.Metadata!.ResourceVersion }, patience.Token).FirstAsync(patience.Token);

        Assert.Equal(WatchEventType.Bookmark, first.Type);
        Assert.Equal(list.Metadata.ResourceVersion, first.ResourceVersion);
    }

    [Fact]
    public async Task CompactedVersionAnswersGoneAsAnErrorEvent()
    {
        var list = await Client.ListAsync<V1Lease>(ResourceType.Leases, "ns");
        await Client.CreateAsync(ResourceType.Leases, Lease("a"));
        api.Server.Store.Compact();

        var error = Assert.Single(await Take(Collect<V1Lease>(ResourceType.Leases, "ns", new WatchOptions { ResourceVersion = list.Metadata!.ResourceVersion }), 1));

        Assert.Equal(WatchEventType.Error, error.Type);
        Assert.Equal(410, error.Status!.Code);
        Assert.Equal("Expired", error.Status.Reason);
    }

    [Fact]
    public async Task ObjectsLeavingTheSelectionAreDeletedForTheWatcher()
    {
        var list = await Client.ListAsync<JsonObject>(ResourceType.ConfigMaps, "ns");
        var events = Collect<JsonObject>(ResourceType.ConfigMaps, "ns", new WatchOptions { ResourceVersion = list.Metadata!.ResourceVersion, LabelSelector = "app=web" });
        await Eventually.TrueAsync(() => api.Server.Store.OpenWatches == 1, "watch open");

        var map = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "m", ["namespace"] = "ns", ["labels"] = new JsonObject { ["app"] = "db" } } };
        await Client.CreateAsync(ResourceType.ConfigMaps, map);
        await Client.PatchAsync<JsonObject>(ResourceType.ConfigMaps, "m", V1Patch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } } }), "ns");
        await Client.PatchAsync<JsonObject>(ResourceType.ConfigMaps, "m", V1Patch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = null } } }), "ns");

        var seen = await Take(events, 2);
        Assert.Equal([WatchEventType.Added, WatchEventType.Deleted], seen.Select(e => e.Type));
    }

    [Fact]
    public async Task ServerTimeoutEndsTheStream()
    {
        var watch = Client.WatchAsync<V1Lease>(ResourceType.Leases, "ns", new WatchOptions { ResourceVersion = "1", TimeoutSeconds = 1 }, stop.Token);
        var count = 0;
        await foreach (var _ in watch.WithCancellation(stop.Token))
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.Equal(0, api.Server.Store.OpenWatches);
    }

    private ChannelReader<WatchEvent<T>> Collect<T>(ResourceType type, string ns, WatchOptions options)
        where T : class
    {
        var channel = Channel.CreateUnbounded<WatchEvent<T>>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in Client.WatchAsync<T>(type, ns, options, stop.Token))
                {
                    await channel.Writer.WriteAsync(e);
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

    private static async Task<List<WatchEvent<T>>> Take<T>(ChannelReader<WatchEvent<T>> events, int count)
        where T : class
    {
        using var timeout = new CancellationTokenSource(Patience);
        var seen = new List<WatchEvent<T>>();
        while (seen.Count < count)
        {
            seen.Add(await events.ReadAsync(timeout.Token));
        }

        return seen;
    }

    private static V1Lease Lease(string name, string ns = "ns") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Namespace = ns },
        Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 10 },
    };
}
