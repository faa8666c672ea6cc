namespace RocketMqSource.Adapter.Delivery;

/// <summary>Keeps the message being delivered invisible to other consumers while work on it continues.</summary>
internal interface IInvisibilityLease
{
    /// <summary>Ensures the message stays invisible for at least <paramref name="busyFor"/> from now, extending it when needed.</summary>
    Task KeepInvisibleForAsync(TimeSpan busyFor, CancellationToken cancellationToken);
}
