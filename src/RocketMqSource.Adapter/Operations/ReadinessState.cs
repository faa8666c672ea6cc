namespace RocketMqSource.Adapter.Operations;

/// <summary>Ready while consuming and not shutting down.</summary>
internal sealed class ReadinessState
{
    private volatile bool consuming;
    private volatile bool stopping;

    public bool IsReady => consuming && !stopping;

    public void ConsumingStarted() => consuming = true;

    public void ConsumingStopped() => consuming = false;

    /// <summary>SIGTERM: from now on the pod reports not ready, so it is taken out of rotation.</summary>
    public void StopRequested() => stopping = true;
}
