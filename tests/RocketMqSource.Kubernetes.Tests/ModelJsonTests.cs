using System.Text.Json;
using System.Text.Json.Nodes;
using RocketMqSource.Kubernetes.Models;
using RocketMqSource.Kubernetes.Serialization;

namespace RocketMqSource.Kubernetes.Tests;

public class ModelJsonTests
{
    internal static V1Deployment SampleDeployment() => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "orders-adapter",
            Namespace = "shop",
            Labels = new Dictionary<string, string> { ["app"] = "orders" },
            OwnerReferences =
            [
                new V1OwnerReference { ApiVersion = "sources.knative.dev/v1alpha1", Kind = "RocketMQSource", Name = "orders", Uid = "u-1", Controller = true, BlockOwnerDeletion = true },
            ],
        },
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "orders" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "orders" } },
                Spec = new V1PodSpec
                {
                    ServiceAccountName = "adapter",
                    SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "adapter",
                            Image = "example/adapter:1",
                            Env =
                            [
                                new V1EnvVar { Name = "K_SINK", Value = "http://broker" },
                                new V1EnvVar { Name = "ROCKETMQ_SECRET_KEY", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "creds", Key = "secretKey" } } },
                            ],
                            Ports = [new V1ContainerPort { Name = "metrics", ContainerPort = 9092 }],
                            Resources = new V1ResourceRequirements { Requests = new Dictionary<string, string> { ["cpu"] = "100m" } },
                            ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/readiness", Port = 8080 } },
                            LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/health", Port = "health" } },
                            SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, ReadOnlyRootFilesystem = true, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                        },
                    ],
                },
            },
        },
    };

    [Fact]
    public void DeploymentSerializesWithKubernetesFieldNamesAndNoNulls()
    {
        var json = JsonSerializer.SerializeToNode(SampleDeployment(), KubernetesJsonContext.Default.V1Deployment)!;

        Assert.Equal("apps/v1", (string?)json["apiVersion"]);
        Assert.Equal("Deployment", (string?)json["kind"]);
        Assert.Null(json["status"]);
        var container = json["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("adapter", (string?)json["spec"]!["template"]!["spec"]!["serviceAccountName"]);
        Assert.Equal("secretKey", (string?)container["env"]![1]!["valueFrom"]!["secretKeyRef"]!["key"]);
        Assert.Equal(8080, (int)container["readinessProbe"]!["httpGet"]!["port"]!);
        Assert.Equal("health", (string?)container["livenessProbe"]!["httpGet"]!["port"]);
        Assert.Equal(9092, (int)container["ports"]![0]!["containerPort"]!);
        Assert.True((bool)json["metadata"]!["ownerReferences"]![0]!["controller"]!);
        Assert.False(json["metadata"]!.AsObject().ContainsKey("uid"));
    }

    [Fact]
    public void DeploymentRoundTripsIncludingStatusFromServer()
    {
        const string fromServer = """
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"default","uid":"abc","resourceVersion":"42","generation":3,
               "creationTimestamp":"2024-05-01T10:20:30Z","deletionTimestamp":"2024-05-02T00:00:00Z","managedFields":[{"manager":"kubectl"}]},
             "spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}},
             "status":{"observedGeneration":3,"replicas":1,"readyReplicas":1,"availableReplicas":1,
               "conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable","lastTransitionTime":"2024-05-01T10:21:00Z"}]}}
            """;
        var deployment = JsonSerializer.Deserialize(fromServer, KubernetesJsonContext.Default.V1Deployment)!;

        Assert.Equal(3, deployment.Metadata!.Generation);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 20, 30, TimeSpan.Zero), deployment.Metadata.CreationTimestamp);
        Assert.NotNull(deployment.Metadata.DeletionTimestamp);
        Assert.Equal(1, deployment.Status!.AvailableReplicas);
        Assert.Equal("MinimumReplicasAvailable", deployment.Status.Conditions![0].Reason);

        var again = JsonSerializer.SerializeToNode(deployment, KubernetesJsonContext.Default.V1Deployment)!;
        Assert.Equal("2024-05-01T10:20:30Z", (string?)again["metadata"]!["creationTimestamp"]);
        Assert.Equal("2024-05-01T10:21:00Z", (string?)again["status"]!["conditions"]![0]!["lastTransitionTime"]);
    }

    [Fact]
    public void LeaseTimesUseMicroTimeWithSixDigits()
    {
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "leader", Namespace = "ns" },
            Spec = new V1LeaseSpec
            {
                HolderIdentity = "pod-a",
                LeaseDurationSeconds = 15,
                RenewTime = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1_234_567),
                LeaseTransitions = 4,
            },
        };
        var json = JsonSerializer.SerializeToNode(lease, KubernetesJsonContext.Default.V1Lease)!;

        Assert.Equal("2024-01-02T01:04:05.123456Z", (string?)json["spec"]!["renewTime"]);
        Assert.Equal("coordination.k8s.io/v1", (string?)json["apiVersion"]);
        var back = json.Deserialize(KubernetesJsonContext.Default.V1Lease)!;
        Assert.Equal(4, back.Spec!.LeaseTransitions);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 1, 4, 5, 123, 456, TimeSpan.Zero), back.Spec.RenewTime);
    }

    [Fact]
    public void ConditionCarriesOptionalSeverityAndObservedGeneration()
    {
        var condition = JsonSerializer.Deserialize(
            """{"type":"Ready","status":"False","reason":"SinkNotFound","message":"no sink","severity":"Error","observedGeneration":7,"lastTransitionTime":"2024-01-01T00:00:00Z"}""",
            KubernetesJsonContext.Default.V1Condition)!;
        Assert.Equal(("Ready", "False", "SinkNotFound", "Error", 7L), (condition.Type, condition.Status, condition.Reason, condition.Severity, condition.ObservedGeneration!.Value));

        var without = JsonSerializer.SerializeToNode(new V1Condition { Type = "Ready", Status = "True" }, KubernetesJsonContext.Default.V1Condition)!.AsObject();
        Assert.Equal(["type", "status"], without.Select(p => p.Key));
    }

    [Fact]
    public void StatusErrorBodyParses()
    {
        var status = JsonSerializer.Deserialize(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"x\" not found","reason":"NotFound","details":{"name":"x","group":"apps","kind":"deployments"},"code":404}""",
            KubernetesJsonContext.Default.V1Status)!;
        Assert.Equal(("NotFound", 404, "x", "apps"), (status.Reason, status.Code!.Value, status.Details!.Name, status.Details.Group));
    }

    [Fact]
    public void EventUsesEventsV1Fields()
    {
        var @event = new EventsV1Event
        {
            Metadata = new V1ObjectMeta { Name = "orders.1", Namespace = "shop" },
            EventTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Series = new EventsV1EventSeries { Count = 2, LastObservedTime = new DateTimeOffset(2024, 1, 1, 0, 1, 0, TimeSpan.Zero) },
            ReportingController = "ctl",
            ReportingInstance = "pod",
            Action = "Reconcile",
            Reason = "SinkNotFound",
            Regarding = new V1ObjectReference { Kind = "RocketMQSource", Name = "orders", Namespace = "shop" },
            Note = "sink missing",
            Type = "Warning",
        };
        var json = JsonSerializer.SerializeToNode(@event, KubernetesJsonContext.Default.EventsV1Event)!;
        Assert.Equal("events.k8s.io/v1", (string?)json["apiVersion"]);
        Assert.Equal("2024-01-01T00:00:00.000000Z", (string?)json["eventTime"]);
        Assert.Equal(2, (int)json["series"]!["count"]!);
        Assert.Equal("orders", (string?)json["regarding"]!["name"]);
    }

    [Fact]
    public void WatchLineParsesTypedObjectsBookmarksAndErrors()
    {
        var added = WatchLineParser.Parse("""{"type":"ADDED","object":{"kind":"Lease","metadata":{"name":"l","resourceVersion":"9"},"spec":{"holderIdentity":"a"}}}""", KubernetesJsonContext.Default.V1Lease);
        Assert.Equal((WatchEventType.Added, "9", "a"), (added.Type, added.ResourceVersion, added.Object!.Spec!.HolderIdentity));

        var bookmark = WatchLineParser.Parse("""{"type":"BOOKMARK","object":{"kind":"Lease","metadata":{"resourceVersion":"12"}}}""", KubernetesJsonContext.Default.JsonObject);
        Assert.Equal((WatchEventType.Bookmark, "12"), (bookmark.Type, bookmark.ResourceVersion));

        var error = WatchLineParser.Parse("""{"type":"ERROR","object":{"kind":"Status","status":"Failure","reason":"Expired","code":410,"message":"too old resource version: 1 (5)"}}""", KubernetesJsonContext.Default.JsonObject);
        Assert.Equal((WatchEventType.Error, 410, "Expired"), (error.Type, error.Status!.Code!.Value, error.Status.Reason));
        Assert.Null(error.Object);

        Assert.Throws<JsonException>(() => WatchLineParser.Parse("""{"type":"SOMETHING","object":{}}""", KubernetesJsonContext.Default.JsonObject));
    }

    [Fact]
    public void UntypedObjectsKeepUnknownFields()
    {
        var node = JsonNode.Parse("""{"apiVersion":"sources.knative.dev/v1alpha1","kind":"RocketMQSource","metadata":{"name":"o","namespace":"n","uid":"u"},"spec":{"topic":"t"}}""")!.AsObject();
        Assert.Equal(("o", "n", "u", "n/o"), (ObjectMetadata.Name(node), ObjectMetadata.Namespace(node), ObjectMetadata.Uid(node), ObjectMetadata.Key(node)));
    }
}
