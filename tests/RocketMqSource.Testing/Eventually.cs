namespace RocketMqSource.Testing;

/// <summary>The one polling helper: waits on a condition with a generous deadline instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }
}
