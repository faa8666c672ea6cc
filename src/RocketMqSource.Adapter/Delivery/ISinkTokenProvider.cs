namespace RocketMqSource.Adapter.Delivery;

/// <summary>Supplies the OIDC token sent as <c>Authorization: Bearer</c> when K_AUDIENCE is set.</summary>
internal interface ISinkTokenProvider
{
    /// <summary>The current token; throws <see cref="SinkTokenUnavailableException"/> when there is none yet.</summary>
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}

internal sealed class SinkTokenUnavailableException(string message) : Exception(message);
