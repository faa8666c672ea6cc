using System.Text.Json;
using System.Text.Json.Nodes;
using RocketMqSource.Kubernetes.Models;
using RocketMqSource.Kubernetes.Serialization;
using RocketMqSource.Testing;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>What this library writes validates against the published Kubernetes schemas (npm kubernetes-models).</summary>
public class OfficialSchemaTests
{
    [Fact]
    public async Task DeploymentLeaseAndEventValidateAndABrokenObjectDoesNot()
    {
        var deployment = ModelJsonTests.SampleDeployment();
        deployment.Status = new V1DeploymentStatus
        {
            ObservedGeneration = 1,
            ReadyReplicas = 1,
            Conditions = [new V1DeploymentCondition { Type = "Available", Status = "True", LastTransitionTime = DateTimeOffset.UtcNow }],
        };
        var now = DateTimeOffset.UtcNow;
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "controller", Namespace = "ns" },
            Spec = LeaderElection.LeaseDecisions.Next(LeaderElection.LeaseAction.Create, null, "pod-a", now, TimeSpan.FromSeconds(15)),
        };
        var @event = new EventsV1Event
        {
            Metadata = new V1ObjectMeta { Name = "orders.17a", Namespace = "shop" },
            EventTime = now,
            Series = new EventsV1EventSeries { Count = 2, LastObservedTime = now },
            ReportingController = "ctl",
            ReportingInstance = "pod",
            Action = "Reconcile",
            Reason = "Deployed",
            Regarding = new V1ObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "orders", Namespace = "shop" },
            Note = "ok",
            Type = EventType.Normal,
        };
        var broken = JsonSerializer.SerializeToNode(ModelJsonTests.SampleDeployment(), KubernetesJsonContext.Default.V1Deployment)!;
        broken["spec"]!["replicas"] = "two";

        var objects = new JsonArray(
            JsonSerializer.SerializeToNode(deployment, KubernetesJsonContext.Default.V1Deployment),
            JsonSerializer.SerializeToNode(lease, KubernetesJsonContext.Default.V1Lease),
            JsonSerializer.SerializeToNode(@event, KubernetesJsonContext.Default.EventsV1Event),
            broken);
        var result = (await NodePeer.RunAsync("validate-k8s-objects.mjs", standardInput: objects.ToJsonString())).EnsureSuccess();

        var verdicts = JsonNode.Parse(result.StandardOutput)!.AsArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.True((bool)verdicts[i]!["valid"]!, $"{verdicts[i]!["kind"]}: {verdicts[i]!["error"]}");
        }

        Assert.False((bool)verdicts[3]!["valid"]!);
        Assert.Contains("replicas", (string?)verdicts[3]!["error"], StringComparison.Ordinal);
    }
}
