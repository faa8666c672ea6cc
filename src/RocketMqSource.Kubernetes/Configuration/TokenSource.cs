namespace RocketMqSource.Kubernetes.Configuration;

/// <summary>Supplies the bearer token for each request.</summary>
internal interface ITokenSource
{
    string? GetToken();
}

internal sealed class StaticTokenSource(string token) : ITokenSource
{
    public string? GetToken() => token;
}

/// <summary>
/// A token file that the kubelet rotates: cached, re-read once the cached copy is older
/// than the refresh interval.
/// </summary>
internal sealed class FileTokenSource(string path, TimeSpan refreshInterval, TimeProvider time) : ITokenSource
{
    private readonly Lock gate = new();
    private string? token;
    private DateTimeOffset readAt;

    public string? GetToken()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (token is null || now - readAt >= refreshInterval)
            {
                token = File.ReadAllText(path).Trim();
                readAt = now;
            }

            return token;
        }
    }
}
