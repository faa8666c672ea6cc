using System.Text.Json;
using System.Text.Json.Nodes;
using RocketMqSource.Testing;

namespace RocketMqSource.Controller.Tests.Manifests;

/// <summary>One refusal of a CRD, worded as the API server words it ("path: Type: detail"), and the check that found it.</summary>
internal sealed record CrdRefusal(string Path, string Message, string Check)
{
    public override string ToString() => $"{Path}: {Message} [{Check}]";
}

/// <summary>What the API server would say when the CRD is created: refusals, and the estimated CEL cost per version.</summary>
internal sealed record CrdCreateVerdict(string Id, IReadOnlyList<CrdRefusal> Errors, IReadOnlyDictionary<string, double?> Costs);

/// <summary>
/// Runs tests/interop/check-crd.mjs: the API server's create-time checks on a CustomResourceDefinition
/// (names, printer columns, OpenAPI and structural schema, literal defaults against schema and
/// CEL, CEL compilation and estimated cost), several CRDs in one Node process.
/// </summary>
internal static class CrdCreateChecks
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IReadOnlyDictionary<string, CrdCreateVerdict>> RunAsync(IEnumerable<(string Id, JsonObject Crd)> crds)
    {
        var input = new JsonArray(crds.Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["crd"] = c.Crd.DeepClone() }).ToArray());
        var result = (await NodePeer.RunAsync("check-crd.mjs", standardInput: input.ToJsonString())).EnsureSuccess();
        var verdicts = JsonSerializer.Deserialize<List<CrdCreateVerdict>>(result.StandardOutput, Json)
            ?? throw new InvalidDataException("check-crd.mjs printed nothing");
        return verdicts.ToDictionary(v => v.Id);
    }
}
