namespace RocketMqSource.Adapter.Delivery;

/// <summary>Where the OIDC tokens sent as <c>Authorization: Bearer</c> come from: a projected file, or TokenRequests.</summary>
internal interface ISinkTokenSource
{
    /// <summary>A token for <paramref name="audience"/>; throws <see cref="SinkTokenUnavailableException"/> when there is none.</summary>
    ValueTask<string> GetTokenAsync(string audience, CancellationToken cancellationToken);
}
