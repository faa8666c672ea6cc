namespace RocketMqSource.Controller.RocketMq;

/// <summary>Asks RocketMQ whether a source could consume: throws what the client threw when not, returns the queue count when it could.</summary>
internal interface IRocketMqProbe
{
    Task<int> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken);
}
