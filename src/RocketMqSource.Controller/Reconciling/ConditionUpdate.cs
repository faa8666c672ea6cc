using RocketMqSource.Controller.Api;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>A condition's desired state, before lastTransitionTime is decided.</summary>
internal sealed record ConditionState(string Type, string Status, string? Reason, string? Message)
{
    public bool IsTrue => Status == ConditionStatus.True;

    public static ConditionState True(string type, string reason, string message) => new(type, ConditionStatus.True, reason, message);

    public static ConditionState False(string type, string reason, string message) => new(type, ConditionStatus.False, reason, message);

    public static ConditionState Unknown(string type, string reason, string message) => new(type, ConditionStatus.Unknown, reason, message);
}

internal static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}

/// <summary>Turns desired condition states into status conditions, keeping lastTransitionTime unless the status flipped.</summary>
internal static class ConditionUpdate
{
    public static IList<Condition> Apply(IEnumerable<Condition>? previous, IEnumerable<ConditionState> desired, DateTimeOffset now)
    {
        var old = (previous ?? []).Where(c => c.Type is not null).GroupBy(c => c.Type!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var result = new List<Condition>();
        foreach (var state in desired)
        {
            var before = old.GetValueOrDefault(state.Type);
            var transitioned = before is null || before.Status != state.Status || before.LastTransitionTime is null;
            result.Add(new Condition
            {
                Type = state.Type,
                Status = state.Status,
                Reason = state.Reason,
                Message = state.Message,
                LastTransitionTime = transitioned ? TruncateToSeconds(now) : before!.LastTransitionTime,
            });
        }

        return result;
    }

    /// <summary>metav1.Time has second precision; keeping it that way makes the written status compare equal when re-read.</summary>
    private static DateTime TruncateToSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
