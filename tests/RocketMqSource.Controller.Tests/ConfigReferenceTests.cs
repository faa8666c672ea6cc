using System.Text.Json.Nodes;
using RocketMqSource.Controller.Tests.Manifests;

namespace RocketMqSource.Controller.Tests;

/// <summary>Objects in config/ refer only to things config/ creates, under the names it gives them.</summary>
public sealed class ConfigReferenceTests
{
    private static readonly IReadOnlyList<Manifest> Config = Manifest.LoadConfig();

    private static Manifest Controller => Config.Single(m => m.Kind == "Deployment" && m.Name == "rocketmqsource-controller");

    private static JsonObject PodSpec => Controller.Document["spec"]!["template"]!["spec"]!.AsObject();

    [Fact]
    public void Every_configMapKeyRef_names_a_key_of_a_ConfigMap_in_config()
    {
        var keys = Config.Where(m => m.Kind == "ConfigMap")
            .SelectMany(m => m.Document["data"]!.AsObject().Select(d => $"{m.Name}/{d.Key}"))
            .ToHashSet();
        var refs = PodSpec["containers"]!.AsArray()
            .SelectMany(c => c!["env"]?.AsArray() ?? [])
            .Select(e => e!["valueFrom"]?["configMapKeyRef"])
            .OfType<JsonNode>()
            .ToList();

        Assert.NotEmpty(refs);
        Assert.All(refs, r => Assert.Contains($"{r["name"]}/{r["key"]}", keys));
    }

    [Fact]
    public void The_controller_runs_as_the_service_account_config_creates_in_its_namespace()
    {
        var account = (string?)PodSpec["serviceAccountName"];
        var ns = (string?)Controller.Document["metadata"]!["namespace"];

        Assert.Contains(Config, m => m.Kind == "ServiceAccount" && m.Name == account && (string?)m.Document["metadata"]!["namespace"] == ns);
    }

    [Fact]
    public void The_deployment_selector_matches_its_pod_labels()
    {
        var selector = Controller.Document["spec"]!["selector"]!["matchLabels"]!.AsObject();
        var labels = Controller.Document["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();

        Assert.NotEmpty(selector);
        Assert.All(selector, s => Assert.Equal((string?)s.Value, (string?)labels[s.Key]));
    }

    [Fact]
    public void The_metrics_service_selects_the_controller_pods_and_targets_a_named_container_port()
    {
        var service = Config.Single(m => m.Kind == "Service");
        var labels = Controller.Document["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var portNames = PodSpec["containers"]!.AsArray()
            .SelectMany(c => c!["ports"]!.AsArray())
            .Select(p => (string?)p!["name"])
            .ToHashSet();

        Assert.All(service.Document["spec"]!["selector"]!.AsObject(), s => Assert.Equal((string?)s.Value, (string?)labels[s.Key]));
        Assert.All(service.Document["spec"]!["ports"]!.AsArray(), p => Assert.Contains((string?)p!["targetPort"], portNames));
    }

    [Fact]
    public void Every_file_in_config_is_numbered_so_kubectl_applies_them_in_dependency_order()
    {
        var files = Directory.GetFiles(RocketMqSource.Testing.RepoPaths.Combine("config")).Select(Path.GetFileName).ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Matches("^[0-9]{3}-[a-z0-9-]+\\.yaml$", f));
    }
}
