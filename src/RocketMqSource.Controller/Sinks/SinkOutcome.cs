namespace RocketMqSource.Controller.Sinks;

/// <summary>A resolved destination: the URI to send to and what to trust and present there.</summary>
internal sealed record ResolvedAddress(Uri Uri, string? CACerts, string? Audience);

/// <summary>The result of resolving a Destination: an address, or a reason and message for the condition.</summary>
internal sealed record SinkOutcome(ResolvedAddress? Address, string? Reason, string? Message)
{
    public bool Resolved => Address is not null;

    public static SinkOutcome Success(ResolvedAddress address) => new(address, null, null);

    public static SinkOutcome Failure(string reason, string message) => new(null, reason, message);
}
