using System.Text.Json.Nodes;

namespace RocketMqSource.Kubernetes;

/// <summary>The patch formats the API server accepts.</summary>
public enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch.</summary>
    MergePatch,

    /// <summary>RFC 6902 JSON patch (list of operations).</summary>
    JsonPatch,

    /// <summary>Kubernetes strategic merge patch (built-in types only).</summary>
    StrategicMergePatch,

    /// <summary>Server-side apply (needs a field manager).</summary>
    ApplyPatch,
}

/// <summary>A patch body and its format.</summary>
public sealed record V1Patch(JsonNode Content, PatchType Type)
{
    public static V1Patch Merge(JsonObject content) => new(content, PatchType.MergePatch);

    public static V1Patch Json(JsonArray operations) => new(operations, PatchType.JsonPatch);

    public static V1Patch Apply(JsonObject configuration) => new(configuration, PatchType.ApplyPatch);

    internal string ContentType => Type switch
    {
        PatchType.MergePatch => "application/merge-patch+json",
        PatchType.JsonPatch => "application/json-patch+json",
        PatchType.StrategicMergePatch => "application/strategic-merge-patch+json",
        PatchType.ApplyPatch => "application/apply-patch+yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(Type)),
    };
}
