using System.Text.Json;
using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Manifests;

/// <summary>The verdict of the published Kubernetes/Knative schema on one document.</summary>
public sealed record SchemaVerdict(string Id, string? ApiVersion, string? Kind, bool Valid, IReadOnlyList<string> Errors);

/// <summary>
/// Validates documents with tests/interop/validate-k8s.mjs, which runs the validate() of the
/// model classes of the npm packages kubernetes-models and @kubernetes-models/knative.
/// </summary>
public static class PublishedSchemas
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyDictionary<string, SchemaVerdict>> ValidateAsync(IEnumerable<(string Id, JsonNode Document)> documents)
    {
        var input = new JsonArray(documents
            .Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["document"] = d.Document.DeepClone() })
            .ToArray());
        var result = (await NodePeer.RunAsync("validate-k8s.mjs", standardInput: input.ToJsonString())).EnsureSuccess();
        var verdicts = JsonSerializer.Deserialize<List<SchemaVerdict>>(result.StandardOutput, Json)
            ?? throw new InvalidDataException("validate-k8s.mjs printed no verdicts");
        return verdicts.ToDictionary(v => v.Id);
    }

    public static async Task<SchemaVerdict> ValidateOneAsync(JsonNode document)
    {
        var verdicts = await ValidateAsync([("document", document)]);
        return verdicts["document"];
    }
}
