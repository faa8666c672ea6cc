using System.Text.Json.Nodes;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// Decides whether an observed Deployment needs an update, looking only at the fields the
/// controller owns: fields the API server defaults (imagePullPolicy, probe timeouts, ...) or
/// other actors add do not count, so reconciling an unchanged source never writes.
/// </summary>
internal static class DeploymentComparison
{
    public static bool IsControlledBy(JsonObject deployment, string? ownerUid) =>
        ownerUid is { Length: > 0 }
        && (deployment["metadata"]?["ownerReferences"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Any(o => o["uid"]?.GetValue<string>() == ownerUid && o["controller"]?.GetValue<bool>() == true);

    public static bool NeedsUpdate(JsonObject desired, JsonObject observed) =>
        !Covers(desired["metadata"]?["labels"], observed["metadata"]?["labels"], false)
        || !Covers(desired["spec"]?["replicas"], observed["spec"]?["replicas"], false)
        || !Covers(desired["spec"]?["template"], observed["spec"]?["template"], false);

    /// <summary>The observed Deployment with our labels, owner reference, replicas and pod template; everything else kept.</summary>
    public static JsonObject Merge(JsonObject desired, JsonObject observed)
    {
        var merged = (JsonObject)observed.DeepClone();
        merged.Remove("status");
        var meta = (JsonObject)merged["metadata"]!;
        var labels = meta["labels"] as JsonObject ?? [];
        foreach (var (key, value) in (JsonObject)desired["metadata"]!["labels"]!)
        {
            labels[key] = value?.DeepClone();
        }

        meta["labels"] = labels;
        meta["ownerReferences"] = desired["metadata"]!["ownerReferences"]!.DeepClone();
        var spec = (JsonObject)merged["spec"]!;
        spec["replicas"] = desired["spec"]!["replicas"]!.DeepClone();
        spec["template"] = desired["spec"]!["template"]!.DeepClone();
        return merged;
    }

    /// <summary>
    /// True when every field of <paramref name="wanted"/> is present with an equal value in
    /// <paramref name="actual"/>. Arrays must have the same length (an extra env var is a change);
    /// under "resources" quantities compare by value ("0.5" equals "500m").
    /// </summary>
    private static bool Covers(JsonNode? wanted, JsonNode? actual, bool quantities)
    {
        switch (wanted)
        {
            case null:
                return true;
            case JsonObject wantedObject:
                if (actual is not JsonObject actualObject)
                {
                    return wantedObject.Count == 0 && actual is null;
                }

                return wantedObject.All(p => Covers(p.Value, actualObject[p.Key], quantities || p.Key == "resources"));
            case JsonArray wantedArray:
                return actual is JsonArray actualArray
                    && wantedArray.Count == actualArray.Count
                    && wantedArray.Zip(actualArray).All(pair => Covers(pair.First, pair.Second, quantities));
            default:
                if (actual is not JsonValue)
                {
                    return false;
                }

                return quantities && Quantity.TryParse(wanted.ToString(), out var a) && Quantity.TryParse(actual.ToString(), out var b)
                    ? a == b
                    : JsonNode.DeepEquals(wanted, actual);
        }
    }
}
