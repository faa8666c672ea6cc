using System.Text.Json.Nodes;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Tests.Manifests;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>
/// What the controller writes validates against the published schemas: the Deployment against
/// kubernetes-models (npm), the status against the CRD's own schema; and every valid sample
/// in Samples/valid, defaulted by the CRD schema, yields a valid spec and Deployment.
/// </summary>
public sealed class PublishedSchemaTests
{
    [Fact]
    public async Task Deployments_built_from_every_valid_sample_pass_the_published_apps_v1_schema()
    {
        var crd = (JsonObject)Manifest.Crd().Document;
        var samples = Sample.Load("valid");
        var defaulted = await CrdSchema.ValidateAsync(crd, "v1alpha1", samples.Select(s => (s.Name, (JsonNode)s.Manifest.Document)));
        var documents = new List<(string, JsonNode)>();
        foreach (var sample in samples)
        {
            var source = FromJson(defaulted.Results[sample.Name].Defaulted);
            source.Metadata!.Uid = Uid;
            source.Metadata.NamespaceProperty ??= "food";
            Assert.Empty(SpecValidator.Validate(source.Spec));
            var sink = SinkResolution.Success(new ResolvedAddress(BrokerUrl, "PEM", "audience"));
            var plan = ReconcilePlanner.Plan(Inputs(source, sink, secrets: SecretCheck.Found("food", "rmq-credentials=1")));
            Assert.Equal(DeploymentAction.Create, plan.Action);
            documents.Add((sample.Name, ToJson(plan.Write!)));
        }

        var verdicts = await PublishedSchemas.ValidateAsync(documents);

        Assert.All(verdicts.Values, v => Assert.True(v.Valid, $"{v.Id}: {string.Join("; ", v.Errors)}"));
        Assert.Equal(samples.Count, verdicts.Count);
    }

    [Fact]
    public async Task The_status_the_controller_writes_passes_the_CRDs_schema()
    {
        await using var harness = await ControllerHarness.StartAsync();
        harness.SeedBroker();
        harness.StartController();
        await harness.CreateSourceAsync(Source(s => s.Sink!.Uri = "extra"));
        var source = await harness.WaitForConditionAsync("Deployed", "Unknown", Reasons.DeploymentProgressing);
        var json = ToJson(source);
        Assert.Equal("http://broker-ingress.knative-eventing.svc.cluster.local/food/extra", source.Status!.SinkUri);

        var verdict = (await CrdSchema.ValidateAsync((JsonObject)Manifest.Crd().Document, "v1alpha1", [("stored", json)])).Results["stored"];

        Assert.True(verdict.Valid, string.Join("; ", verdict.Errors));
        Assert.Equal(["Ready", "Deployed", "RocketMQReady", "SinkProvided", "OIDCIdentityCreated"], json["status"]!["conditions"]!.AsArray().Select(c => (string)c!["type"]!));
    }
}
