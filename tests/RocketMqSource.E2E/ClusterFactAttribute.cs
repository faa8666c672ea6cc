namespace RocketMqSource.E2E;

/// <summary>
/// A test that needs the cluster in KUBECONFIG. Without <c>ROCKETMQSOURCE_E2E=1</c> it is reported
/// as Skipped with <see cref="SkipReason"/> (never as passed): xunit reads Skip from the attribute
/// instance, so setting it in the constructor decides per run.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ClusterFactAttribute : FactAttribute
{
    public const string SkipReason =
        $"needs a cluster: set {E2ESettings.EnableVariable}=1 to run against the cluster in KUBECONFIG (hack/e2e-kind.sh does; see docs/e2e.md)";

    public ClusterFactAttribute()
    {
        if (!E2ESettings.Enabled)
        {
            Skip = SkipReason;
        }
    }
}
