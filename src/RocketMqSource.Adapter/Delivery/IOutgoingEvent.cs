namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// One event ready to be sent. The CloudEvents HTTP writer implements this; the dispatcher only
/// asks it for a fresh request per attempt (an HttpContent cannot be sent twice).
/// </summary>
internal interface IOutgoingEvent
{
    /// <summary>The event id, for logs.</summary>
    string Id { get; }

    /// <summary>A new POST request to <paramref name="target"/> carrying the event (binary mode).</summary>
    HttpRequestMessage CreateRequest(Uri target);

    /// <summary>A copy with extension attributes added or replaced (K_CE_OVERRIDES, the dead-letter error extensions).</summary>
    IOutgoingEvent WithExtensions(IReadOnlyDictionary<string, string> extensions);
}
