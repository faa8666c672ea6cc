namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// A token kept in a file the kubelet rotates in place (a projected service-account token): re-read
/// whenever the file's timestamp or size changes, so a rotated token is used from the next request
/// on. As a sink token source it supplies the projected OIDC token when K_AUDIENCE is set; the
/// TokenRequest source reads the pod's own account token through it.
/// </summary>
/// <param name="what">What the file is, for the errors ("OIDC token file", "the pod's account token").</param>
internal sealed class FileSinkTokenProvider(string path, string what = "OIDC token file") : ISinkTokenSource
{
    private readonly Lock gate = new();
    private (DateTime WrittenUtc, long Length, string Token)? cached;

    public string Path { get; } = path;

    /// <summary>The current token (projected for the sink's audience, whatever is asked); throws <see cref="SinkTokenUnavailableException"/> when there is none yet.</summary>
    public ValueTask<string> GetTokenAsync(string audience, CancellationToken cancellationToken) => ReadAsync(cancellationToken);

    /// <summary>The file's current token; throws <see cref="SinkTokenUnavailableException"/> when the file is missing or empty.</summary>
    public async ValueTask<string> ReadAsync(CancellationToken cancellationToken)
    {
        var file = new FileInfo(Path);
        if (!file.Exists)
        {
            throw new SinkTokenUnavailableException($"{what} {Path} does not exist");
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
            throw new SinkTokenUnavailableException($"{what} {Path} is empty");
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
