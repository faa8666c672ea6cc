using System.Globalization;
using System.Text.Json.Nodes;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>The Deployed condition read from the adapter Deployment's own status (pure).</summary>
internal static class DeploymentAvailability
{
    public static ConditionState Evaluate(JsonObject deployment)
    {
        var name = $"{deployment["metadata"]?["namespace"]}/{deployment["metadata"]?["name"]}";
        var status = deployment["status"] as JsonObject;
        var generation = Long(deployment["metadata"]?["generation"]);
        var observedGeneration = Long(status?["observedGeneration"]);
        var conditions = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var available = Find(conditions, "Available");
        var progressing = Find(conditions, "Progressing");
        var failure = Find(conditions, "ReplicaFailure");

        if (failure is not null && Text(failure["status"]) == "True")
        {
            return Unavailable(name, failure);
        }

        if (progressing is not null && Text(progressing["status"]) == "False")
        {
            return Unavailable(name, progressing);
        }

        if (status is null || conditions.Count == 0 || observedGeneration < generation)
        {
            return ConditionState.Unknown(ConditionTypes.Deployed, Reasons.DeploymentProgressing, $"waiting for Deployment {name} to roll out");
        }

        if (available is not null && Text(available["status"]) == "True")
        {
            var ready = Long(status["availableReplicas"]);
            var wanted = Long(deployment["spec"]?["replicas"]) ?? 1;
            return ConditionState.True(ConditionTypes.Deployed, Reasons.DeploymentReady,
                string.Create(CultureInfo.InvariantCulture, $"Deployment {name} has {ready ?? 0}/{wanted} replicas available"));
        }

        return available is not null ? Unavailable(name, available)
            : ConditionState.Unknown(ConditionTypes.Deployed, Reasons.DeploymentProgressing, $"waiting for Deployment {name} to become available");
    }

    private static ConditionState Unavailable(string name, JsonObject condition)
    {
        var detail = Text(condition["message"]) ?? Text(condition["reason"]) ?? $"{Text(condition["type"])} is {Text(condition["status"])}";
        return ConditionState.False(ConditionTypes.Deployed, Reasons.DeploymentUnavailable, $"Deployment {name} is unavailable: {detail}");
    }

    private static JsonObject? Find(List<JsonObject> conditions, string type) => conditions.FirstOrDefault(c => Text(c["type"]) == type);

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    // Parsed JSON converts to any numeric type; JSON built in memory keeps its CLR type (int or long).
    private static long? Long(JsonNode? node) => node is not JsonValue v ? null
        : v.TryGetValue<long>(out var n) ? n
        : v.TryGetValue<int>(out var i) ? i
        : null;
}
