using RocketMqSource.Adapter.Configuration;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>Where the sink's OIDC tokens come from: the one choice the pipeline and the tests share.</summary>
internal static class SinkTokens
{
    /// <summary>TokenRequests for Knative's OIDC account when there is one; else the projected file when the sink has an audience; else none.</summary>
    public static ISinkTokenSource? For(SinkOptions sink, TimeProvider time) =>
        sink.TokenRequest is { } tokenRequest ? new TokenRequestTokenSource(TokenRequestTokenSource.CreateApiClient(tokenRequest), tokenRequest, time)
        : sink.Audience is null ? null
        : new FileSinkTokenProvider(sink.OidcTokenPath);
}
