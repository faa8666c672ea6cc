using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.RocketMq;
using RocketMqSource.Controller.Tests.Controller;
using RocketMqSource.Controller.Tests.RocketMq;
using RocketMqSource.Kubernetes;
using RocketMqSource.Kubernetes.Events;
using RocketMqSource.Kubernetes.Informers;
using RocketMqSource.Testing;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Controller.Tests.Reconcile;

/// <summary>
/// One row of a reconcile table, in the spirit of knative/pkg reconciler/testing/table.go: the
/// objects the API server holds, the configuration, then what one reconcile of food/orders must
/// send (every request, reads included), the conditions it leaves, and the Events it records.
/// </summary>
public sealed record Row(string Name)
{
    /// <summary>Seeds the API-server double (through <see cref="ReconcileTable"/>'s helpers) before the caches start.</summary>
    public Func<ReconcileTable, Task> Given { get; init; } = _ => Task.CompletedTask;

    /// <summary>Knative's config-features data.</summary>
    public IDictionary<string, string>? Features { get; init; }

    /// <summary>Nobody listens at the proxy's address; otherwise the check finds the topic with 8 queues.</summary>
    public bool RocketMqUnreachable { get; init; }

    /// <summary>A reconcile first, whose writes the caches see before the one the row measures (steady state).</summary>
    public bool ReconciledBefore { get; init; }

    /// <summary>Fails requests of the measured reconcile, as the API server would.</summary>
    public Func<RecordedRequest, int?>? Failures { get; init; }

    /// <summary>"METHOD plural[/subresource]" of every request, in order; watches aside.</summary>
    public IReadOnlyList<string> WantRequests { get; init; } = [];

    /// <summary>"Type Status Reason" of every condition written, Ready first ("-" for no reason); empty: the status is not checked.</summary>
    public IReadOnlyList<string> WantConditions { get; init; } = [];

    /// <summary>"Type Reason" of every Event recorded.</summary>
    public IReadOnlyList<string> WantEvents { get; init; } = [];

    /// <summary>Anything else the row promises, read from the double after the reconcile.</summary>
    public Action<ReconcileTable>? Then { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// Runs one row: the real reconciler over informers synced from the API-server double, a manual
/// clock, and a RocketMQ probe the row chooses.
/// </summary>
public sealed class ReconcileTable : IAsyncDisposable
{
    public const string Key = "food/orders";
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> running = [];

    private ReconcileTable(KubernetesApiServerDouble server)
    {
        Server = server;
        Client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString() });
    }

    public KubernetesApiServerDouble Server { get; }

    public ManualClock Clock { get; } = new(Fixtures.Now);

    public List<TimeSpan> Requeues { get; } = [];

    internal k8s.Kubernetes Client { get; }

    /// <summary>The source as the API server holds it after the reconcile.</summary>
    internal V1Alpha1RocketMQSource StoredSource() => Fixtures.FromJson(Server.TryGet($"{ControllerHarness.SourcesPath}/orders")!);

    /// <summary>The adapter Deployment as the API server holds it, or null.</summary>
    internal JsonObject? Deployment() => Server.TryGet($"{ControllerHarness.DeploymentsPath}/{AdapterNames.DeploymentName(StoredSource())}");

    public static async Task RunAsync(Row row)
    {
        await using var table = new ReconcileTable(await KubernetesApiServerDouble.StartAsync());
        await row.Given(table);
        var reconciler = await table.StartAsync(row);
        if (row.ReconciledBefore)
        {
            await reconciler.ReconcileAsync(Key, CancellationToken.None);
            await table.CachesCaughtUpAsync();
        }

        table.Server.ClearRequests();
        table.Server.FailureInjector = row.Failures;
        await reconciler.ReconcileAsync(Key, CancellationToken.None);
        table.Server.FailureInjector = null;

        var requests = table.Server.Requests.Where(r => !r.IsWatch).Select(Describe).ToList();
        Assert.Equal(row.WantRequests, requests);
        if (row.WantConditions.Count > 0)
        {
            var conditions = table.StoredSource().Status!.Conditions!.Select(c => $"{c.Type} {c.Status} {c.Reason ?? "-"}").ToList();
            Assert.Equal(row.WantConditions, conditions);
        }

        var events = table.Server.List("/apis/events.k8s.io/v1/namespaces/food/events").Select(e => $"{e["type"]} {e["reason"]}").Order(StringComparer.Ordinal);
        Assert.Equal(row.WantEvents.Order(StringComparer.Ordinal), events);
        row.Then?.Invoke(table);
    }

    // Seeding helpers: the objects a row starts from.
    public void SeedSource(Action<RocketMQSourceSpec>? change = null, IDictionary<string, string>? annotations = null)
    {
        var source = Fixtures.Source(change);
        source.Metadata = new V1ObjectMeta { Name = "orders", Annotations = annotations };
        Server.Seed(ControllerHarness.SourcesPath, Fixtures.ToJson(source));
    }

    public void SeedBroker(string name = "default", string ns = "food", JsonObject? status = null) =>
        Server.Seed($"/apis/eventing.knative.dev/v1/namespaces/{ns}/brokers", new JsonObject
        {
            ["apiVersion"] = "eventing.knative.dev/v1", ["kind"] = "Broker", ["metadata"] = new JsonObject { ["name"] = name },
            ["status"] = status ?? new JsonObject
            {
                ["address"] = new JsonObject { ["url"] = $"http://broker-ingress.knative-eventing.svc.cluster.local/{ns}/{name}" },
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        });

    public void SeedSecret(string name, params (string Key, string Value)[] data) =>
        Server.Seed("/api/v1/namespaces/food/secrets", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = name },
            ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(d.Value))))),
        });

    /// <summary>The adapter Deployment the controller would build for the seeded source (as of <paramref name="spec"/>, when given), with a status.</summary>
    public void SeedAdapterDeployment(Action<RocketMQSourceSpec>? spec = null, params (string Type, string Status, string Reason, string Message)[] conditions)
    {
        var source = StoredSource();
        spec?.Invoke(source.Spec!);
        var desired = Fixtures.ToJson(AdapterDeploymentBuilder.Build(source, Fixtures.Sink().Address!, null, Fixtures.Settings, null, null));
        var stored = Server.Seed(ControllerHarness.DeploymentsPath, desired);
        if (conditions.Length > 0)
        {
            stored["status"] = new JsonObject
            {
                ["observedGeneration"] = 1,
                ["replicas"] = 1,
                ["availableReplicas"] = conditions.Any(c => c is { Type: "Available", Status: "True" }) ? 1 : 0,
                ["conditions"] = new JsonArray([.. conditions.Select(c => (JsonNode)new JsonObject { ["type"] = c.Type, ["status"] = c.Status, ["reason"] = c.Reason, ["message"] = c.Message })]),
            };
            Server.Store.Replace(ApiPath.TryParse($"{ControllerHarness.DeploymentsPath}/{stored["metadata"]!["name"]}/status")!, stored);
        }
    }

    /// <summary>A Deployment someone else made under the adapter's name: no owner, not our labels.</summary>
    public void SeedForeignDeployment() =>
        Server.Seed(ControllerHarness.DeploymentsPath, new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = AdapterNames.DeploymentName(StoredSource()), ["labels"] = new JsonObject { ["app"] = "someone-elses" } },
            ["spec"] = new JsonObject { ["replicas"] = 2 },
        });

    public static readonly (string, string, string, string) Available = ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.");

    private static string Describe(RecordedRequest request)
    {
        var path = ApiPath.TryParse(request.Path)!;
        return $"{request.Method} {path.Plural}{(path.Subresource is null ? "" : "/" + path.Subresource)}";
    }

    private async Task<Reconciler> StartAsync(Row row)
    {
        var sources = new Informer<V1Alpha1RocketMQSource>(Client, V1Alpha1RocketMQSource.Resource);
        var deployments = new Informer<CachedDeployment>(Client, ResourceType.Deployments, options: new InformerOptions { LabelSelector = AdapterNames.Selector }, trim: CachedDeployment.Trim);
        running.Add(sources.RunAsync(stop.Token));
        running.Add(deployments.RunAsync(stop.Token));
        var onDemand = new InformerFactory(Client, stop.Token);
        running.Add(Task.Run(async () =>
        {
            await stop.Token.WhenCancelled();
            await onDemand.StoppedAsync();
        }));
        Caches = new Caches(sources, deployments, onDemand);
        await Task.WhenAll(sources.WaitForSyncAsync(), deployments.WaitForSyncAsync());
        var defaults = new ConfigSnapshot(Fixtures.Settings, FeatureFlags.Parse(row.Features), AutoscalerConfig.FromData(null));
        var connectivity = new ConnectivityChecker(Client, row.RocketMqUnreachable ? new UnreachableProbe() : new CountingProbe(), Clock, (_, delay) => Requeues.Add(delay));
        var events = new EventRecorder(Client, "rocketmqsource-controller", "test") { Time = Clock };
        return new Reconciler(Client, Caches, new ConfigStore(defaults), new ReferenceTracker(), connectivity, events, Clock, NullLogger.Instance, "rocketmq-source");
    }

    internal Caches Caches { get; private set; } = null!;

    /// <summary>The source and Deployment caches hold what the API server holds.</summary>
    private async Task CachesCaughtUpAsync()
    {
        var source = StoredSource();
        await Eventually.WaitAsync(() => Caches.Sources.Get("orders", "food")?.Metadata.ResourceVersion == source.Metadata.ResourceVersion, "the source cache");
        var deployment = Deployment();
        await Eventually.WaitAsync(
            () => deployment is null || Caches.Deployments.Get((string)deployment["metadata"]!["name"]!, "food")?.Metadata.ResourceVersion == (string?)deployment["metadata"]!["resourceVersion"],
            "the Deployment cache");
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(running);
        Client.Dispose();
        await Server.DisposeAsync();
        stop.Dispose();
    }
}

internal static class CancellationTokenExtensions
{
    public static Task WhenCancelled(this CancellationToken token)
    {
        var done = new TaskCompletionSource();
        token.Register(() => done.TrySetResult());
        return done.Task;
    }
}
