using System.Text.Json.Nodes;
using k8s;
using RocketMqSource.Controller.Api;
using RocketMqSource.E2E.Cluster;
using RocketMqSource.Kubernetes;
using RocketMqSource.Testing;
using RocketMqSource.Testing.Manifests;

namespace RocketMqSource.E2E;

/// <summary>
/// The cluster the walkthrough runs on, prepared once as a platform engineer would: the release
/// manifest applied and its controller available, then the food-delivery sample applied with the
/// order-service image and the RocketMQ credentials filled in (the two things its README says to
/// replace). Does nothing unless <see cref="E2ESettings.Enabled"/>; deleting is the last step's test.
/// </summary>
public sealed class FoodDeliveryCluster : IAsyncLifetime
{
    /// <summary>Knative Serving labels a revision's pods with their Service (knative/serving pkg/apis/serving/register.go ServiceLabelKey).</summary>
    internal const string KnativeServiceLabel = "serving.knative.dev/service";

    /// <summary>The topic and group hack/e2e-kind.sh creates for the KEDA step (besides the sample's own).</summary>
    internal const string BacklogTopic = "e2e-backlog";
    internal const string BacklogGroup = "e2e-backlog-source";

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    private ProxyTunnel? tunnel;

    internal E2ESettings Settings { get; private set; } = null!;

    internal IKubernetes Client { get; private set; } = null!;

    internal ClusterObjects Objects { get; private set; } = null!;

    internal IReadOnlyList<JsonObject> Release { get; private set; } = [];

    internal IReadOnlyList<JsonObject> Sample { get; private set; } = [];

    /// <summary>The sample's RocketMQSource, as applied.</summary>
    internal JsonObject Source => Sample.Single(m => (string?)m["kind"] == V1Alpha1RocketMQSource.KindName);

    /// <summary>The sample's Knative Service (the order service).</summary>
    internal JsonObject OrderService => Sample.Single(m => (string?)m["kind"] == "Service" && (string?)m["apiVersion"] == "serving.knative.dev/v1");

    internal string SampleNamespace => ClusterObjects.NamespaceOf(Source)!;

    /// <summary>The RocketMQ proxy as this machine reaches it: the variable, else a port-forward to the Service the source names.</summary>
    internal string ProxyEndpoint { get; private set; } = string.Empty;

    internal OrderServiceLog OrderLog { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!E2ESettings.Enabled)
        {
            return;
        }

        Settings = E2ESettings.FromEnvironment();
        Client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildDefaultConfig());
        Objects = new ClusterObjects(Client);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));

        Release = Manifest.LoadFile(Settings.ReleaseManifest).Select(m => m.Document).ToList();
        foreach (var manifest in Release)
        {
            await Objects.ApplyAsync(manifest, deadline.Token);
        }

        await WaitForCrdEstablishedAsync(deadline.Token);
        await WaitForControllerAsync(deadline.Token);

        Sample = Manifest.LoadDirectory(RepoPaths.Combine("samples", "food-delivery", "config")).Select(m => Prepare(m.Document)).ToList();
        foreach (var manifest in Sample)
        {
            await Objects.ApplyAsync(manifest, deadline.Token);
        }

        if (Settings.ProxyEndpoint is { } endpoint)
        {
            ProxyEndpoint = endpoint;
        }
        else
        {
            var (service, ns, port) = ProxyServiceOf(Source);
            tunnel = await ProxyTunnel.OpenAsync(Client, ns, service, port, deadline.Token);
            ProxyEndpoint = tunnel.Endpoint;
        }

        var container = (string)OrderService["spec"]!["template"]!["spec"]!["containers"]![0]!["name"]!;
        OrderLog = new OrderServiceLog(Client, SampleNamespace, $"{KnativeServiceLabel}={OrderService["metadata"]!["name"]}", container);
    }

    /// <summary>What the sample's README asks a user to fill in: the image they built and their RocketMQ account.</summary>
    private JsonObject Prepare(JsonObject manifest)
    {
        var copy = manifest.DeepClone().AsObject();
        switch ((string?)copy["kind"])
        {
            case "Secret" when copy["stringData"] is JsonObject data:
                data["access-key"] = Settings.AccessKey;
                data["secret-key"] = Settings.SecretKey;
                break;
            case "Service" when (string?)copy["apiVersion"] == "serving.knative.dev/v1":
                copy["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = Settings.OrderServiceImage;
                break;
        }

        return copy;
    }

    /// <summary>The Service, namespace and port of spec.endpoints (host.namespace.svc[.cluster.local]:port, one endpoint).</summary>
    internal static (string Service, string Namespace, int Port) ProxyServiceOf(JsonObject source)
    {
        var endpoint = (string)source["spec"]!["endpoints"]!;
        var colon = endpoint.LastIndexOf(':');
        var host = endpoint[..colon].Split('.');
        if (host.Length < 3 || host[2] != "svc")
        {
            throw new InvalidOperationException($"spec.endpoints {endpoint} is not a cluster Service address; set {E2ESettings.ProxyVariable}");
        }

        return (host[0], host[1], int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task WaitForCrdEstablishedAsync(CancellationToken cancellationToken)
    {
        var crd = Release.Single(m => (string?)m["kind"] == "CustomResourceDefinition");
        JsonObject? observed = null;
        await Eventually.WaitAsync(
            async token =>
            {
                observed = await Objects.GetAsync(ClusterObjects.TypeOf(crd), null, (string)crd["metadata"]!["name"]!, token);
                return ClusterObjects.Condition(observed, "Established")?.Status == "True";
            },
            "the RocketMQSource CRD to be Established", TimeSpan.FromMinutes(2), Poll, () => ClusterObjects.DescribeConditions(observed), cancellationToken);
    }

    private async Task WaitForControllerAsync(CancellationToken cancellationToken)
    {
        var deployment = Release.Single(m => (string?)m["kind"] == "Deployment");
        JsonObject? observed = null;
        await Eventually.WaitAsync(
            async token =>
            {
                observed = await Objects.GetAsync(ResourceType.Deployments, ClusterObjects.NamespaceOf(deployment), (string)deployment["metadata"]!["name"]!, token);
                return ClusterObjects.Condition(observed, "Available")?.Status == "True";
            },
            "the controller Deployment to be Available", TimeSpan.FromMinutes(5), Poll, () => ClusterObjects.DescribeConditions(observed), cancellationToken);
    }

    public async Task DisposeAsync()
    {
        if (OrderLog is not null)
        {
            await OrderLog.DisposeAsync();
        }

        if (tunnel is not null)
        {
            await tunnel.DisposeAsync();
        }

        Client?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class FoodDeliveryCollection : ICollectionFixture<FoodDeliveryCluster>
{
    public const string Name = "food-delivery on a cluster";
}
