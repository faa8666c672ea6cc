using Grpc.Core;

namespace RocketMqSource.RocketMq.Signing;

/// <summary>
/// The x-mq-* metadata (and authorization) every request of one client carries. The identity
/// entries never change; x-mq-date-time has one-second resolution, so its signature is computed
/// once per second and shared by every call in that second, not once per call.
/// </summary>
internal sealed class RequestMetadata
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

    private readonly Metadata.Entry[] _identity;
    private readonly ISessionCredentialsProvider? _credentials;
    private readonly TimeProvider _clock;
    private SignedSecond? _signed;

    public RequestMetadata(string clientId, string clientVersion, string @namespace, ISessionCredentialsProvider? credentials, TimeProvider clock)
    {
        List<Metadata.Entry> identity =
        [
            new(ClientId, clientId),
            new(Language, DotNetLanguage),
            new(ClientVersion, clientVersion),
            new(Protocol, ProtocolVersion),
        ];
        if (!string.IsNullOrEmpty(@namespace))
        {
            identity.Add(new(Namespace, @namespace));
        }

        _identity = [.. identity];
        _credentials = credentials;
        _clock = clock;
    }

    /// <summary>The metadata of one call, identified by <paramref name="requestId"/>.</summary>
    public Metadata Create(string requestId)
    {
        var signed = Sign();
        var metadata = new Metadata();
        foreach (var entry in _identity)
        {
            metadata.Add(entry);
        }

        metadata.Add(RequestId, requestId);
        metadata.Add(signed.DateTime);
        if (signed.Authorization is not null)
        {
            metadata.Add(signed.Authorization);
        }

        if (signed.SessionToken is not null)
        {
            metadata.Add(signed.SessionToken);
        }

        return metadata;
    }

    /// <summary>The signed date-time of the current second; signed again when the second or the credentials changed.</summary>
    private SignedSecond Sign()
    {
        var now = _clock.GetUtcNow();
        var second = now.UtcTicks / TimeSpan.TicksPerSecond;
        var credentials = _credentials?.GetSessionCredentials();
        var signed = Volatile.Read(ref _signed);
        if (signed is not null && signed.Second == second && ReferenceEquals(signed.Credentials, credentials))
        {
            return signed;
        }

        var dateTime = RequestSigner.FormatDateTime(now);
        signed = new SignedSecond(
            second,
            credentials,
            new Metadata.Entry(DateTime, dateTime),
            credentials is null ? null : new Metadata.Entry(Authorization, RequestSigner.Authorization(credentials.AccessKey, credentials.AccessSecret, dateTime)),
            credentials?.SecurityToken is { } token ? new Metadata.Entry(SessionToken, token) : null);
        Volatile.Write(ref _signed, signed);
        return signed;
    }

    private sealed record SignedSecond(
        long Second, SessionCredentials? Credentials, Metadata.Entry DateTime, Metadata.Entry? Authorization, Metadata.Entry? SessionToken);
}
