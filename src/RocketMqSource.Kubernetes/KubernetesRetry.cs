using k8s.Autorest;

namespace RocketMqSource.Kubernetes;

/// <summary>Retries a read-modify-write when the API server reports an optimistic-concurrency conflict (client-go's RetryOnConflict).</summary>
public static class KubernetesRetry
{
    /// <summary>
    /// Runs <paramref name="attempt"/> (which must re-read the object each time) until it
    /// succeeds, fails with something other than 409 Conflict, or <paramref name="maxAttempts"/> is reached.
    /// </summary>
    public static async Task<T> OnConflictAsync<T>(Func<CancellationToken, Task<T>> attempt, int maxAttempts = 5, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.IsConflict() && number < maxAttempts)
            {
                // Short, growing pause so competing writers interleave instead of colliding again.
                await Task.Delay(TimeSpan.FromMilliseconds(10 * number * number), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public static Task OnConflictAsync(Func<CancellationToken, Task> attempt, int maxAttempts = 5, CancellationToken cancellationToken = default) =>
        OnConflictAsync<bool>(
            async token =>
            {
                await attempt(token).ConfigureAwait(false);
                return true;
            },
            maxAttempts,
            cancellationToken);
}
