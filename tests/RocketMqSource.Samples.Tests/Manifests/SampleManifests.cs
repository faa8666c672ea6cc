using System.Text.Json.Nodes;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.Manifests;

/// <summary>
/// The sample's manifests and the validators' verdicts on them, computed once per test run: every
/// Kubernetes and Knative document against the published schemas (validate-k8s.mjs), the
/// RocketMQSource against the CRD in config/ (validate-crd-schema.mjs, schema and CEL rules).
/// </summary>
public sealed class SampleManifests : IAsyncLifetime
{
    public static string ConfigDirectory => RepoPaths.Combine("samples", "food-delivery", "config");

    public static string RocketMqDevFile => RepoPaths.Combine("samples", "food-delivery", "rocketmq", "rocketmq-dev.yaml");

    internal IReadOnlyList<Manifest> Config { get; private set; } = [];

    internal IReadOnlyList<Manifest> RocketMqDev { get; private set; } = [];

    internal IReadOnlyDictionary<string, SchemaVerdict> Published { get; private set; } = new Dictionary<string, SchemaVerdict>();

    internal CrdValidation Crd { get; private set; } = new([], new Dictionary<string, CrdVerdict>());

    public async Task InitializeAsync()
    {
        Config = Manifest.LoadDirectory(ConfigDirectory);
        RocketMqDev = Manifest.LoadFile(RocketMqDevFile);
        var kubernetes = Config.Where(m => m.Kind != "RocketMQSource").Concat(RocketMqDev);
        Published = await PublishedSchemas.ValidateAsync(kubernetes.Select(m => (m.Id, (JsonNode)m.Document)));
        Crd = await CrdSchema.ValidateAsync(
            Manifest.Crd().Document,
            "v1alpha1",
            Config.Where(m => m.Kind == "RocketMQSource").Select(m => (m.Id, (JsonNode)m.Document)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    internal Manifest Single(string kind, string? apiVersionPrefix = null) =>
        Config.Single(m => m.Kind == kind && (apiVersionPrefix is null || m.ApiVersion.StartsWith(apiVersionPrefix, StringComparison.Ordinal)));

    internal IEnumerable<Manifest> All(string kind) => Config.Where(m => m.Kind == kind);
}
