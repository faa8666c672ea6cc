using System.Text.Json.Nodes;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using RocketMqSource.Kubernetes.Events;
using RocketMqSource.Testing;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>
/// What the recorder and the official leader election write, as the API-server double stored it,
/// validates against the published Kubernetes schemas (npm kubernetes-models).
/// </summary>
public sealed class OfficialSchemaTests : IAsyncLifetime
{
    private ApiServerFixture api = null!;

    public async Task InitializeAsync() => api = await ApiServerFixture.StartAsync();

    public async Task DisposeAsync() => await api.DisposeAsync();

    [Fact]
    public async Task AnEventSeriesAndALeaseValidateAndABrokenObjectDoesNot()
    {
        var recorder = new EventRecorder(api.Client, "ctl", "pod");
        var regarding = new V1ObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "orders", NamespaceProperty = "shop", Uid = "u" };
        await recorder.NormalAsync(regarding, "Deployed", "Reconcile", "ok");
        await recorder.NormalAsync(regarding, "Deployed", "Reconcile", "ok");
        var leaseLock = new LeaseLock(api.Client, "ns", "controller", "pod-a");
        Assert.True(await leaseLock.CreateAsync(new LeaderElectionRecord { HolderIdentity = "pod-a", LeaseDurationSeconds = 15, AcquireTime = DateTime.UtcNow, RenewTime = DateTime.UtcNow }));

        var @event = Assert.Single(api.Server.List("/apis/events.k8s.io/v1/namespaces/shop/events"));
        Assert.Equal(2, (int)@event["series"]!["count"]!);
        var lease = api.Server.TryGet("/apis/coordination.k8s.io/v1/namespaces/ns/leases/controller")!;
        var broken = (JsonObject)lease.DeepClone();
        broken["spec"]!["leaseDurationSeconds"] = "fifteen";
        var result = (await NodePeer.RunAsync("validate-k8s-objects.mjs", standardInput: new JsonArray(@event.DeepClone(), lease.DeepClone(), broken).ToJsonString())).EnsureSuccess();

        var verdicts = JsonNode.Parse(result.StandardOutput)!.AsArray();
        for (var i = 0; i < 2; i++)
        {
            Assert.True((bool)verdicts[i]!["valid"]!, $"{verdicts[i]!["kind"]}: {verdicts[i]!["error"]}");
        }

        Assert.False((bool)verdicts[2]!["valid"]!);
        Assert.Contains("leaseDurationSeconds", (string?)verdicts[2]!["error"], StringComparison.Ordinal);
    }
}
