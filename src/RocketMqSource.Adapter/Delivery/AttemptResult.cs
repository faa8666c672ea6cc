namespace RocketMqSource.Adapter.Delivery;

/// <summary>What one HTTP attempt produced: a status code, or no response at all (network error, timeout).</summary>
internal sealed record AttemptResult(int? StatusCode, ReadOnlyMemory<byte> Body, string? RetryAfter, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>The label used in metrics and logs: the status code, or "none" without a response.</summary>
    public string CodeLabel => StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";

    public static AttemptResult NoResponse(string error) => new(null, ReadOnlyMemory<byte>.Empty, null, error);
}
