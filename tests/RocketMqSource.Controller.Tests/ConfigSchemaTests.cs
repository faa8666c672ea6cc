using System.Text.Json.Nodes;
using RocketMqSource.Controller.Tests.Manifests;

namespace RocketMqSource.Controller.Tests;

/// <summary>
/// Every document of config/ against the published Kubernetes and Knative schemas (npm
/// kubernetes-models and @kubernetes-models/knative), and proof that the validator catches
/// broken documents.
/// </summary>
public sealed class ConfigSchemaTests
{
    [Fact]
    public async Task Every_document_in_config_validates_against_its_published_schema()
    {
        var manifests = Manifest.LoadConfig();
        var verdicts = await PublishedSchemas.ValidateAsync(manifests.Select(m => (m.Id, (JsonNode)m.Document)));

        Assert.Equal(manifests.Count, verdicts.Count);
        var failures = manifests
            .Select(m => verdicts[m.Id])
            .Where(v => !v.Valid)
            .Select(v => $"{v.Id} {v.Kind}: {string.Join("; ", v.Errors)}")
            .ToList();
        Assert.True(failures.Count == 0, "config/ documents refused by the published schemas:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void Config_is_the_whole_install()
    {
        var kinds = Manifest.LoadConfig().Select(m => m.Kind).ToHashSet();

        Assert.Superset(
            new HashSet<string> { "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "CustomResourceDefinition", "ConfigMap", "Deployment" },
            kinds);
    }

    [Fact]
    public void Namespaced_objects_live_in_the_namespace_config_creates()
    {
        var manifests = Manifest.LoadConfig();
        var ns = manifests.Single(m => m.Kind == "Namespace").Name;
        string[] clusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"];

        Assert.Equal("rocketmq-source", ns);
        // The one exception: reading Knative's config-features needs a Role where Knative keeps it.
        string[] inEventingNamespace = ["Role/rocketmqsource-controller-knative-config", "RoleBinding/rocketmqsource-controller-knative-config"];
        foreach (var manifest in manifests.Where(m => !clusterScoped.Contains(m.Kind)))
        {
            var expected = inEventingNamespace.Contains($"{manifest.Kind}/{manifest.Name}") ? "knative-eventing" : ns;
            Assert.True((string?)manifest.Document["metadata"]?["namespace"] == expected, $"{manifest} is not in {expected}");
        }

        // The namespace comes first so that applying config/ in order (hack/release.sh) never refers to it before it exists.
        Assert.Equal("Namespace", manifests[0].Kind);
    }

    [Fact]
    public async Task The_validator_refuses_a_Deployment_whose_containers_is_not_an_array()
    {
        var deployment = ControllerDeployment();
        var containers = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        deployment["spec"]!["template"]!["spec"]!["containers"] = containers[0]!.DeepClone();

        var verdict = await PublishedSchemas.ValidateOneAsync(deployment);

        Assert.False(verdict.Valid);
        Assert.Contains(verdict.Errors, e => e.StartsWith("/spec/template/spec/containers must be array", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_validator_refuses_a_Deployment_without_a_selector()
    {
        var deployment = ControllerDeployment();
        deployment["spec"]!.AsObject().Remove("selector");

        var verdict = await PublishedSchemas.ValidateOneAsync(deployment);

        Assert.False(verdict.Valid);
        Assert.Contains(verdict.Errors, e => e.Contains("selector", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_validator_refuses_fields_the_published_types_do_not_have()
    {
        var deployment = ControllerDeployment();
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        container["readinesProbe"] = container["readinessProbe"]!.DeepClone();
        var crd = (JsonObject)Manifest.Crd().Document.DeepClone();
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["batchSize"]!["defualt"] = 16;

        var verdicts = await PublishedSchemas.ValidateAsync([("deployment", deployment), ("crd", crd)]);

        Assert.Equal(["/spec/template/spec/containers/0/readinesProbe is not a field of Container"], verdicts["deployment"].Errors);
        Assert.Equal(["/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/batchSize/defualt is not a field of JSONSchemaProps"], verdicts["crd"].Errors);
    }

    [Fact]
    public async Task The_validator_refuses_a_kind_it_has_no_schema_for()
    {
        var verdict = await PublishedSchemas.ValidateOneAsync(JsonNode.Parse("""
            {"apiVersion": "apps/v1", "kind": "Deploymnet", "metadata": {"name": "typo"}}
            """)!);

        Assert.False(verdict.Valid);
        Assert.Contains(verdict.Errors, e => e.StartsWith("no published schema for apps/v1 Deploymnet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Knative_kinds_validate_against_the_Knative_schemas()
    {
        var broker = JsonNode.Parse("""
            {"apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "metadata": {"name": "default", "namespace": "food"}}
            """)!;
        var trigger = JsonNode.Parse("""
            {"apiVersion": "eventing.knative.dev/v1", "kind": "Trigger", "metadata": {"name": "orders"},
             "spec": {"broker": "default", "filter": {"attributes": {"type": "dev.knative.rocketmq.event"}},
                      "subscriber": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "order-service"}}}}
            """)!;
        var brokenTrigger = trigger.DeepClone();
        brokenTrigger["spec"]!["subscriber"] = "order-service";

        var verdicts = await PublishedSchemas.ValidateAsync([("broker", broker), ("trigger", trigger), ("broken", brokenTrigger)]);

        Assert.True(verdicts["broker"].Valid, string.Join("; ", verdicts["broker"].Errors));
        Assert.True(verdicts["trigger"].Valid, string.Join("; ", verdicts["trigger"].Errors));
        Assert.False(verdicts["broken"].Valid);
        Assert.Contains(verdicts["broken"].Errors, e => e.StartsWith("/spec/subscriber must be object", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_validator_refuses_a_CRD_with_a_malformed_schema()
    {
        var crd = (JsonObject)Manifest.Crd().Document.DeepClone();
        var version = crd["spec"]!["versions"]![0]!;
        version["served"] = "yes";
        version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["batchSize"]!["minimum"] = "one";

        var verdict = await PublishedSchemas.ValidateOneAsync(crd);

        Assert.False(verdict.Valid);
        Assert.Contains(verdict.Errors, e => e.StartsWith("/spec/versions/0/served must be boolean", StringComparison.Ordinal));
        Assert.Contains(verdict.Errors, e => e.StartsWith("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/batchSize/minimum must be number", StringComparison.Ordinal));
    }

    private static JsonObject ControllerDeployment() =>
        (JsonObject)Manifest.LoadConfig().Single(m => m.Kind == "Deployment").Document.DeepClone();
}
