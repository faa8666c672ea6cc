using System.Text.Json;
using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Manifests;

/// <summary>One schema or CEL failure: where, what, and which check ("schema" or "cel").</summary>
public sealed record CrdError(string Path, string Message, string By)
{
    public override string ToString() => $"{Path}: {Message} [{By}]";
}

/// <summary>The CRD schema's verdict on one custom object, and the object after defaulting.</summary>
public sealed record CrdVerdict(string Id, bool Valid, IReadOnlyList<CrdError> Errors, JsonObject Defaulted);

/// <summary>A CEL rule of the CRD and the path of the value it applies to.</summary>
public sealed record CelRule(string Path, string Rule, string Message);

public sealed record CrdValidation(IReadOnlyList<CelRule> Rules, IReadOnlyDictionary<string, CrdVerdict> Results);

/// <summary>
/// Validates custom objects against the CRD's own openAPIV3Schema with
/// tests/interop/validate-crd-schema.mjs (ajv for the structural schema and defaults, a CEL
/// interpreter for x-kubernetes-validations).
/// </summary>
public static class CrdSchema
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Output(List<CelRule> Rules, List<CrdVerdict> Results);

    public static async Task<CrdValidation> ValidateAsync(JsonObject crd, string version, IEnumerable<(string Id, JsonNode Object)> objects)
    {
        var input = new JsonObject
        {
            ["crd"] = crd.DeepClone(),
            ["version"] = version,
            ["objects"] = new JsonArray(objects
                .Select(o => (JsonNode)new JsonObject { ["id"] = o.Id, ["object"] = o.Object.DeepClone() })
                .ToArray()),
        };
        var result = (await NodePeer.RunAsync("validate-crd-schema.mjs", standardInput: input.ToJsonString())).EnsureSuccess();
        var output = JsonSerializer.Deserialize<Output>(result.StandardOutput, Json)
            ?? throw new InvalidDataException("validate-crd-schema.mjs printed nothing");
        return new CrdValidation(output.Rules, output.Results.ToDictionary(r => r.Id));
    }
}
