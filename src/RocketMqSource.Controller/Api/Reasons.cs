namespace RocketMqSource.Controller.Api;

/// <summary>Condition types of the RocketMQSource status.</summary>
internal static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string SinkProvided = "SinkProvided";
    public const string RocketMQReady = "RocketMQReady";
    public const string Deployed = "Deployed";
    public const string OIDCIdentityCreated = "OIDCIdentityCreated";
    public const string AutoscalerReady = "AutoscalerReady";
}

internal static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}

/// <summary>
/// Every reason the controller writes, on a condition or an Event: each names what a person can
/// act on. Only <see cref="RocketMQSourceStatus"/>'s Mark*/Propagate* methods choose among the
/// condition reasons; README's status section lists exactly these.
/// </summary>
internal static class Reasons
{
    // SinkProvided (the dead-letter sink's own reasons say which destination failed).
    public const string SinkResolved = "SinkResolved";
    public const string SinkNotFound = "SinkNotFound";
    public const string SinkNotReady = "SinkNotReady";
    public const string SinkNotAddressable = "SinkNotAddressable";
    public const string SinkNotResolved = "SinkNotResolved";
    public const string SinkNamespaceNotAllowed = "SinkNamespaceNotAllowed";
    public const string SinkNotHttps = "SinkNotHttps";
    public const string DeadLetterSinkNotFound = "DeadLetterSinkNotFound";
    public const string DeadLetterSinkNotReady = "DeadLetterSinkNotReady";
    public const string DeadLetterSinkNotAddressable = "DeadLetterSinkNotAddressable";
    public const string DeadLetterSinkNotResolved = "DeadLetterSinkNotResolved";
    public const string DeadLetterSinkNamespaceNotAllowed = "DeadLetterSinkNamespaceNotAllowed";
    public const string DeadLetterSinkNotHttps = "DeadLetterSinkNotHttps";
    public const string DeadLetterInvalidSpec = "DeadLetterInvalidSpec";

    // SinkProvided and Deployed.
    public const string InvalidSpec = "InvalidSpec";

    // RocketMQReady.
    public const string TopicRouted = "TopicRouted";
    public const string ProxyUnreachable = "ProxyUnreachable";
    public const string TlsHandshakeFailed = "TlsHandshakeFailed";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string TopicNotFound = "TopicNotFound";
    public const string ProxyError = "ProxyError";
    public const string NotChecked = "NotChecked";

    // Deployed.
    public const string DeploymentReady = "DeploymentReady";
    public const string DeploymentProgressing = "DeploymentProgressing";
    public const string DeploymentUnavailable = "DeploymentUnavailable";
    public const string DeploymentNotOwned = "DeploymentNotOwned";
    public const string DeploymentPending = "DeploymentPending";
    public const string SecretNotFound = "SecretNotFound";
    public const string SecretKeyNotFound = "SecretKeyNotFound";

    // OIDCIdentityCreated: Knative's own wording (knative/eventing pkg/auth/serviceaccount.go), kept so tooling that knows it matches.
    public const string OIDCIdentityFailed = "Unable to resolve service account for OIDC authentication";
    public const string OIDCFeatureDisabled = "authentication-oidc feature disabled";

    // AutoscalerReady (informational).
    public const string ScaledObjectReady = "ScaledObjectReady";
    public const string ScaledObjectNotReady = "ScaledObjectNotReady";
    public const string KedaNotInstalled = "KedaNotInstalled";
    public const string InvalidAutoscaling = "InvalidAutoscaling";
    public const string ScaledObjectNotOwned = "ScaledObjectNotOwned";

    // Events only.
    public const string DeploymentCreated = "DeploymentCreated";
    public const string DeploymentUpdated = "DeploymentUpdated";
    public const string ReconcileFailed = "ReconcileFailed";

    /// <summary>Every reason above, for the tests that hold the code, this list and README to each other.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. typeof(Reasons).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];
}
