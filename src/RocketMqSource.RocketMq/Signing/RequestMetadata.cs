namespace RocketMqSource.RocketMq.Signing;

/// <summary>Builds the x-mq-* headers (and authorization) every RocketMQ request carries (pure).</summary>
internal static class RequestMetadata
{
    public const string ClientId = "x-mq-client-id";
    public const string Language = "x-mq-language";
    public const string ClientVersion = "x-mq-client-version";
    public const string Namespace = "x-mq-namespace";
    public const string RequestId = "x-mq-request-id";
    public const string Protocol = "x-mq-protocol";
    public const string DateTime = "x-mq-date-time";
    public const string Authorization = "authorization";
    public const string SessionToken = "x-mq-session-token";

    /// <summary>The language name the proxy's parser knows for .NET clients.</summary>
    public const string DotNetLanguage = "DOTNET";
    public const string ProtocolVersion = "v2";

    public static IReadOnlyList<KeyValuePair<string, string>> Build(
        string clientId,
        string clientVersion,
        string @namespace,
        string requestId,
        DateTimeOffset now,
        SessionCredentials? credentials)
    {
        var dateTime = RequestSigner.FormatDateTime(now);
        var headers = new List<KeyValuePair<string, string>>(9)
        {
            new(ClientId, clientId),
            new(Language, DotNetLanguage),
            new(ClientVersion, clientVersion),
            new(Protocol, ProtocolVersion),
            new(RequestId, requestId),
            new(DateTime, dateTime),
        };
        if (!string.IsNullOrEmpty(@namespace))
        {
            headers.Add(new(Namespace, @namespace));
        }

        if (credentials is not null)
        {
            headers.Add(new(Authorization, RequestSigner.Authorization(credentials.AccessKey, credentials.AccessSecret, dateTime)));
            if (credentials.SecurityToken is { } token)
            {
                headers.Add(new(SessionToken, token));
            }
        }

        return headers;
    }
}
