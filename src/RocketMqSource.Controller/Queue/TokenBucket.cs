namespace RocketMqSource.Controller.Queue;

/// <summary>Overall rate limit: each retry takes a token; when none is left it waits for the next one.</summary>
internal sealed class TokenBucket(double perSecond, int burst, TimeProvider time)
{
    private double tokens = burst;
    private DateTimeOffset last = time.GetUtcNow();

    /// <summary>Reserves a token; returns how long the caller must wait for it.</summary>
    public TimeSpan Reserve()
    {
        var now = time.GetUtcNow();
        tokens = Math.Min(burst, tokens + ((now - last).TotalSeconds * perSecond));
        last = now;
        tokens -= 1;
        return tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / perSecond);
    }
}
