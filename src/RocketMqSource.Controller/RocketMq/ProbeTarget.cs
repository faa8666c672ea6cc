using RocketMqSource.Controller.Api;

namespace RocketMqSource.Controller.RocketMq;

/// <summary>
/// What a connectivity check needs, with the credential values read from the Secret for this one
/// check. <see cref="ToString"/> names the access key only: the secret and token never print.
/// </summary>
internal sealed record ProbeTarget(
    string Endpoints,
    string Namespace,
    string Topic,
    bool Tls,
    string? CaCertPem,
    string? AccessKey,
    string? SecretKey,
    string? SecurityToken)
{
    /// <summary>What the status may say about the target: the access key's name, never its secret.</summary>
    public RocketMqTarget Named => new(Endpoints, Namespace, Topic, AccessKey);

    public override string ToString() =>
        $"ProbeTarget(Endpoints={Endpoints}, Namespace={Namespace}, Topic={Topic}, Tls={Tls}, AccessKey={AccessKey ?? "<none>"})";
}
