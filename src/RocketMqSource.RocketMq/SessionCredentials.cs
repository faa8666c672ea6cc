namespace RocketMqSource.RocketMq;

/// <summary>An access key, its secret and an optional session (security) token.</summary>
public sealed class SessionCredentials
{
    public SessionCredentials(string accessKey, string accessSecret, string? securityToken = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessKey);
        ArgumentException.ThrowIfNullOrEmpty(accessSecret);
        AccessKey = accessKey;
        AccessSecret = accessSecret;
        SecurityToken = string.IsNullOrEmpty(securityToken) ? null : securityToken;
    }

    public string AccessKey { get; }

    public string AccessSecret { get; }

    public string? SecurityToken { get; }

    /// <summary>Never reveals the secret or the token.</summary>
    public override string ToString() => $"SessionCredentials(AccessKey={AccessKey})";
}

/// <summary>Supplies the credentials used to sign each request.</summary>
public interface ISessionCredentialsProvider
{
    SessionCredentials GetSessionCredentials();
}

/// <summary>Fixed credentials, as configured once.</summary>
public sealed class StaticSessionCredentialsProvider : ISessionCredentialsProvider
{
    private readonly SessionCredentials _credentials;

    public StaticSessionCredentialsProvider(string accessKey, string accessSecret, string? securityToken = null)
    {
        _credentials = new SessionCredentials(accessKey, accessSecret, securityToken);
    }

    public SessionCredentials GetSessionCredentials() => _credentials;
}
