using RocketMqSource.Controller.RocketMq;

namespace RocketMqSource.Controller.Tests.RocketMq;

/// <summary>Counts checks and passes them to an inner probe; alone, it answers that the topic has 8 queues.</summary>
internal sealed class CountingProbe(IRocketMqProbe? inner = null) : IRocketMqProbe
{
    private int calls;

    public int Calls => Volatile.Read(ref calls);

    public ProbeTarget? LastTarget { get; private set; }

    public Task<int> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref calls);
        LastTarget = target;
        return inner?.ProbeAsync(target, cancellationToken) ?? Task.FromResult(8);
    }
}

/// <summary>A proxy nobody listens for: every check fails as a refused connection does.</summary>
internal sealed class UnreachableProbe : IRocketMqProbe
{
    public Task<int> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken) =>
        throw new global::RocketMqSource.RocketMq.RpcException(global::RocketMqSource.RocketMq.GrpcStatusCode.Unavailable, "connection refused");
}
