using System.Text.Json.Nodes;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.Api;
using RocketMqSource.Testing;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Status;

/// <summary>
/// Without Knative's authentication-oidc flag the adapter Deployment is exactly what it was
/// before OIDC identities existed (the golden file was written by that code): turning the
/// feature machinery on must not roll anyone's adapters. The one later change is POD_NAME from the
/// downward API (the pod's knative.dev/pod log key), which came with a release: a release rolls
/// the adapters anyway, since their image changes.
/// </summary>
public sealed class GoldenDeploymentTests
{
    [Fact]
    public void Without_the_OIDC_flag_the_adapter_Deployment_is_unchanged()
    {
        var source = Source();
        var deadLetter = new ResolvedAddress(new Uri("http://dls.food.svc.cluster.local/"), null, null);

        var built = ToJson(AdapterDeploymentBuilder.Build(source, Sink().Address!, deadLetter, Settings, "rmq-credentials=7"));

        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests/RocketMqSource.Controller.Tests/Status/adapter-deployment.golden.json")))!;
        Assert.Equal(golden.ToJsonString(), built.ToJsonString());
    }
}
