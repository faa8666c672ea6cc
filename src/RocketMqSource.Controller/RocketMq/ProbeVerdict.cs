using RocketMqSource.Controller.Api;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Controller.RocketMq;

/// <summary>
/// A failed check as the status reads it (pure): the client's classification of the failure
/// (<see cref="RocketMqFailure"/>, as the adapter classifies its own) with any credential value
/// redacted. The reason and message are the status's to choose (RocketMQSourceLifecycle).
/// </summary>
internal static class ProbeVerdict
{
    public static RocketMqFailedCheck Failed(ProbeTarget target, Exception failure)
    {
        var classified = RocketMqFailure.Of(failure);
        // A proxy could echo anything back; the condition never carries a credential value.
        return new RocketMqFailedCheck(target.Named, classified.Kind, Redact(classified.Cause, target.SecretKey, target.SecurityToken));
    }

    private static string Redact(string message, params string?[] values) =>
        values.Where(v => !string.IsNullOrEmpty(v)).Aggregate(message, (text, value) => text.Replace(value!, "<redacted>", StringComparison.Ordinal));
}
