namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// Supplies the OIDC token sent as <c>Authorization: Bearer</c> when K_AUDIENCE is set. Reads the projected service-account token (kubelet rotates the file in place) and re-reads it
/// whenever its timestamp or size changes, so a rotated token is used from the next request on.
/// </summary>
internal sealed class FileSinkTokenProvider(string path) : ISinkTokenSource
{
    private readonly Lock gate = new();
    private (DateTime WrittenUtc, long Length, string Token)? cached;

    public string Path { get; } = path;

    /// <summary>The current token (projected for the sink's audience, whatever is asked); throws <see cref="SinkTokenUnavailableException"/> when there is none yet.</summary>
    public async ValueTask<string> GetTokenAsync(string audience, CancellationToken cancellationToken)
    {
        var file = new FileInfo(Path);
        if (!file.Exists)
        {
            throw new SinkTokenUnavailableException($"OIDC token file {Path} does not exist");
        }

        lock (gate)
        {
            if (cached is { } hit && hit.WrittenUtc == file.LastWriteTimeUtc && hit.Length == file.Length)
            {
                return hit.Token;
            }
        }

        var token = (await File.ReadAllTextAsync(Path, cancellationToken)).Trim();
        if (token.Length == 0)
        {
            throw new SinkTokenUnavailableException($"OIDC token file {Path} is empty");
        }

        lock (gate)
        {
            cached = (file.LastWriteTimeUtc, file.Length, token);
        }

        return token;
    }
}

/// <summary>No token to send yet: the attempt counts as one without a response.</summary>
internal sealed class SinkTokenUnavailableException(string message) : Exception(message);
