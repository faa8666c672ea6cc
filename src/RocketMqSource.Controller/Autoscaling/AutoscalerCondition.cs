using System.Text.Json.Nodes;
using RocketMqSource.Controller.Reconciling;

namespace RocketMqSource.Controller.Autoscaling;

/// <summary>
/// The AutoscalerReady condition and its reasons. It is informational: the adapter runs at its
/// replica count whatever the autoscaler does, so it never makes the source not Ready.
/// </summary>
internal static class AutoscalerCondition
{
    public const string Type = "AutoscalerReady";
    public const string KedaNotInstalled = "KedaNotInstalled";
    public const string InvalidAutoscaling = "InvalidAutoscaling";
    public const string ScaledObjectNotOwned = "ScaledObjectNotOwned";
    public const string ScaledObjectNotReady = "ScaledObjectNotReady";
    public const string ScaledObjectReady = "ScaledObjectReady";

    public static ConditionState NotInstalled() => ConditionState.False(Type, KedaNotInstalled,
        "the API server does not serve keda.sh/v1alpha1 scaledobjects; install KEDA to autoscale (the adapter keeps its replica count)");

    public static ConditionState Invalid(string problem) => ConditionState.False(Type, InvalidAutoscaling, problem);

    public static ConditionState NotOwned(string ns, string name) => ConditionState.False(Type, ScaledObjectNotOwned,
        $"ScaledObject {ns}/{name} already exists and is not controlled by this RocketMQSource; delete or rename it");

    /// <summary>From KEDA's own Ready condition on the ScaledObject.</summary>
    public static ConditionState FromScaledObject(JsonObject scaledObject)
    {
        var ready = (scaledObject["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => (string?)c?["type"] == "Ready");
        var name = (string?)scaledObject["metadata"]?["name"];
        if ((string?)ready?["status"] == ConditionStatus.True)
        {
            return ConditionState.True(Type, ScaledObjectReady, $"KEDA scales the adapter through ScaledObject {name}");
        }

        var why = (string?)ready?["message"] is { Length: > 0 } message ? message : "KEDA has not reported it Ready yet";
        var status = (string?)ready?["status"] == ConditionStatus.False ? ConditionStatus.False : ConditionStatus.Unknown;
        return new ConditionState(Type, status, ScaledObjectNotReady, $"ScaledObject {name}: {why}");
    }
}
