using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Reconciling;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>Sources, sinks and Deployment states for the controller tests.</summary>
internal static class Fixtures
{
    public const string Namespace = "food";
    public const string Uid = "6f1c2a9e-0d0b-4a4e-9d8e-1f0c1b2a3c4d";
    public static readonly Uri BrokerUrl = new("http://broker-ingress.knative-eventing.svc.cluster.local/food/default");
    public static readonly AdapterSettings Settings = new("registry.example/rocketmqsource-adapter:1.0", null);
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A source as the API server returns it after CRD defaulting.</summary>
    public static V1Alpha1RocketMQSource Source(Action<RocketMQSourceSpec>? change = null, long generation = 1)
    {
        var spec = new RocketMQSourceSpec
        {
            Endpoints = Endpoints,
            Topic = "orders",
            ConsumerGroup = "order-dispatch",
            Filter = new RocketMQFilter { Type = "TAG", Expression = "*" },
            Tls = false,
            BatchSize = 16,
            InvisibleDuration = "30s",
            AwaitDuration = "20s",
            MaxInFlight = 64,
            Ordering = "ordered",
            Replicas = 1,
            Sink = new Destination { Ref = new KReference { ApiVersion = "eventing.knative.dev/v1", Kind = "Broker", Name = "default" } },
        };
        change?.Invoke(spec);
        return new V1Alpha1RocketMQSource
        {
            Metadata = new V1ObjectMeta { Name = "orders", NamespaceProperty = Namespace, Uid = Uid, Generation = generation, ResourceVersion = "7" },
            Spec = spec,
        };
    }

    /// <summary>The endpoints of <see cref="Source"/>; the controller harness points them at its RocketMQ emulator.</summary>
    public const string Endpoints = "rmq-proxy.rocketmq:8081";

    public static SinkResolution Sink(string? caCerts = null, string? audience = null) =>
        SinkResolution.Success(new ResolvedAddress(BrokerUrl, caCerts, audience));

    /// <param name="observed">The Deployment as the API server holds it; the planner sees it as the cache keeps it.</param>
    public static ReconcileInputs Inputs(V1Alpha1RocketMQSource source, SinkResolution? sink = null, V1Deployment? observed = null, SecretCheck? secrets = null, SinkResolution? deadLetter = null) =>
        new(source, sink ?? Sink(), deadLetter, secrets ?? SecretCheck.Found(Namespace, null), observed is null ? null : CachedDeployment.From(observed), Settings, null, false);

    /// <summary>The desired Deployment as the API server would store it: with uid, generation and some defaulted fields.</summary>
    public static V1Deployment Stored(V1Deployment desired, long generation = 1) => FromJson<V1Deployment>(StoredJson(ToJson(desired), generation));

    private static JsonObject StoredJson(JsonObject desired, long generation)
    {
        var stored = (JsonObject)desired.DeepClone();
        var meta = (JsonObject)stored["metadata"]!;
        meta["uid"] = "deploy-uid";
        meta["resourceVersion"] = "42";
        meta["generation"] = generation;
        var container = (JsonObject)stored["spec"]!["template"]!["spec"]!["containers"]![0]!;
        container["imagePullPolicy"] = "IfNotPresent";
        container["terminationMessagePath"] = "/dev/termination-log";
        ((JsonObject)container["livenessProbe"]!)["timeoutSeconds"] = 1;
        ((JsonObject)stored["spec"]!)["strategy"] = new JsonObject { ["type"] = "RollingUpdate" };
        return stored;
    }

    public static V1Deployment WithStatus(V1Deployment deployment, long observedGeneration, params (string Type, string Status, string Reason, string Message)[] conditions)
    {
        var copy = ToJson(deployment);
        copy["status"] = new JsonObject
        {
            ["observedGeneration"] = observedGeneration,
            ["availableReplicas"] = conditions.Any(c => c is { Type: "Available", Status: "True" }) ? 1 : 0,
            ["conditions"] = new JsonArray(conditions.Select(c => (JsonNode)new JsonObject
            {
                ["type"] = c.Type, ["status"] = c.Status, ["reason"] = c.Reason, ["message"] = c.Message,
            }).ToArray()),
        };
        return FromJson<V1Deployment>(copy);
    }

    public static V1Deployment Available(V1Deployment deployment) =>
        WithStatus(deployment, deployment.Metadata.Generation!.Value,
            ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
            ("Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet has successfully progressed."));

    public static Condition Condition(RocketMQSourceStatus status, string type) => status.Conditions!.Single(c => c.Type == type);

    public static string? Env(V1Deployment deployment, string name) => Env(ToJson(deployment), name);

    public static string? Env(JsonObject deployment, string name) =>
        EnvVar(deployment, name)?["value"]?.GetValue<string>();

    public static JsonObject? EnvVar(JsonObject deployment, string name) =>
        Container(deployment)["env"]!.AsArray().OfType<JsonObject>().SingleOrDefault(e => e["name"]!.GetValue<string>() == name);

    public static JsonObject Container(JsonObject deployment) => (JsonObject)deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;

    /// <summary>An object as the official client puts it on the wire.</summary>
    public static JsonObject ToJson(object value) => JsonNode.Parse(KubernetesJson.Serialize(value))!.AsObject();

    public static T FromJson<T>(JsonNode node) => KubernetesJson.Deserialize<T>(node.ToJsonString());

    public static V1Alpha1RocketMQSource FromJson(JsonNode node) => FromJson<V1Alpha1RocketMQSource>(node);
}
