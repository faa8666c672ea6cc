using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Hosting;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.RocketMq;
using RocketMqSource.Controller.Tests.RocketMq;
using RocketMqSource.Emulator;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.Testing;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>
/// An API-server double on loopback plus controller runtimes talking to it over HTTP through the
/// official client, and a RocketMQ emulator (topics created on demand) that the fixture's sources
/// point at, so their connectivity check succeeds as on a healthy cluster.
/// </summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    public const string SourcesPath = "/apis/sources.knative.dev/v1alpha1/namespaces/food/rocketmqsources";
    public const string BrokersPath = "/apis/eventing.knative.dev/v1/namespaces/food/brokers";
    public const string DeploymentsPath = "/apis/apps/v1/namespaces/food/deployments";
    public static readonly TimeSpan Patience = Eventually.Patience;

    private readonly List<(ControllerRuntime Runtime, CancellationTokenSource Stop, Task Run)> runtimes = [];

    private ControllerHarness(KubernetesApiServerDouble server, RocketMqEmulator rocketMq)
    {
        Server = server;
        RocketMq = rocketMq;
        Client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString() });
    }

    public KubernetesApiServerDouble Server { get; }

    public RocketMqEmulator RocketMq { get; }

    public k8s.Kubernetes Client { get; }

    public static async Task<ControllerHarness> StartAsync(KubernetesApiServerOptions? options = null) =>
        new(await KubernetesApiServerDouble.StartAsync(options), await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0" }));

    public static ControllerOptions Options(string identity = "controller-0", bool leaderElection = false) => new()
    {
        AdapterImage = Fixtures.Settings.Image,
        PodName = identity,
        SystemNamespace = "rocketmq-source",
        LeaderElectionEnabled = leaderElection,
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1.5),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    /// <param name="logger">Where the controller logs, at the level <paramref name="logLevel"/> holds; by default nowhere.</param>
    public ControllerRuntime StartController(ControllerOptions? options = null, ILogger? logger = null, ControllerLogLevel? logLevel = null)
    {
        var runtime = new ControllerRuntime(Client, options ?? Options(), logger ?? NullLogger.Instance, logLevel ?? new ControllerLogLevel(LogLevel.Information));
        var stop = new CancellationTokenSource();
        runtimes.Add((runtime, stop, Task.Run(() => runtime.RunAsync(stop.Token))));
        return runtime;
    }

    public async Task StopControllerAsync(ControllerRuntime runtime)
    {
        var entry = runtimes.Single(r => r.Runtime == runtime);
        await entry.Stop.CancelAsync();
        await entry.Run.WaitAsync(Patience);
    }

    public JsonObject SeedBroker(string name = "default") =>
        Server.Seed(BrokersPath, SinkResolutionTests.Broker(name, $"http://broker-ingress.knative-eventing.svc.cluster.local/food/{name}"));

    public Task<V1Alpha1RocketMQSource> CreateSourceAsync(V1Alpha1RocketMQSource? source = null)
    {
        source ??= Fixtures.Source();
        if (source.Spec?.Endpoints == Fixtures.Endpoints)
        {
            source.Spec.Endpoints = RocketMq.Endpoint;
        }

        source.Metadata = new V1ObjectMeta { Name = source.Metadata.Name, NamespaceProperty = source.Metadata.NamespaceProperty, Annotations = source.Metadata.Annotations };
        var resource = V1Alpha1RocketMQSource.Resource;
        return Client.CustomObjects.CreateNamespacedCustomObjectAsync<V1Alpha1RocketMQSource>(source, resource.Group, resource.Version, source.Metadata.NamespaceProperty, resource.Plural);
    }

    /// <summary>
    /// Edits the source as kubectl edit does: read, change, replace (PUT); a 409 because the controller
    /// wrote the status in between means read and change again (client-go's RetryOnConflict).
    /// </summary>
    public async Task<V1Alpha1RocketMQSource> EditSourceAsync(Action<V1Alpha1RocketMQSource> edit, string name = "orders")
    {
        var resource = V1Alpha1RocketMQSource.Resource;
        for (var attempt = 1; ; attempt++)
        {
            var source = Source(name) ?? throw new InvalidOperationException($"no source {name}");
            edit(source);
            try
            {
                return await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<V1Alpha1RocketMQSource>(
                    source, resource.Group, resource.Version, source.Metadata.NamespaceProperty, resource.Plural, name);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 5)
            {
                // The controller's status write won the race; edit the newer version.
            }
        }
    }

    public V1Alpha1RocketMQSource? Source(string name = "orders") =>
        Server.TryGet($"{SourcesPath}/{name}") is { } json ? Fixtures.FromJson(json) : null;

    public JsonObject? Deployment(V1Alpha1RocketMQSource source) =>
        Server.TryGet($"{DeploymentsPath}/{AdapterNames.DeploymentName(source)}");

    /// <summary>Waits until the source's condition has the status and reason; returns the source.</summary>
    public Task<V1Alpha1RocketMQSource> WaitForConditionAsync(string type, string status, string? reason = null, string name = "orders") =>
        Eventually.ValueAsync(() => Source(name) is { } s
            && s.Status?.Conditions?.FirstOrDefault(c => c.Type == type) is { } c
            && c.Status == status && (reason is null || c.Reason == reason) ? s : null, $"{type}={status} {reason}");

    /// <summary>Makes the Deployment available the way the Deployment controller would (status subresource).</summary>
    public Task MakeAvailableAsync(JsonObject deployment)
    {
        var generation = deployment["metadata"]!["generation"]!.GetValue<long>();
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = generation,
                ["replicas"] = 1,
                ["availableReplicas"] = 1,
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable", ["message"] = "Deployment has minimum availability." },
                    new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "NewReplicaSetAvailable", ["message"] = "ReplicaSet has successfully progressed." }),
            },
        };
        return Client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), deployment["metadata"]!["name"]!.GetValue<string>(), "food");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, stop, run) in runtimes)
        {
            await stop.CancelAsync();
            await run.WaitAsync(Patience);
            stop.Dispose();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        await RocketMq.DisposeAsync();
    }
}
