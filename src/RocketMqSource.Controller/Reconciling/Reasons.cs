namespace RocketMqSource.Controller.Reconciling;

/// <summary>Condition types of the RocketMQSource status.</summary>
internal static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string SinkProvided = "SinkProvided";
    public const string Deployed = "Deployed";
    public const string OIDCIdentityCreated = "OIDCIdentityCreated";
}

/// <summary>CamelCase condition and event reasons, one per situation a person can act on.</summary>
internal static class Reasons
{
    public const string SinkResolved = "SinkResolved";
    public const string SinkNotFound = "SinkNotFound";
    public const string SinkNotAddressable = "SinkNotAddressable";
    public const string SinkNotReady = "SinkNotReady";
    public const string SinkNotResolved = "SinkNotResolved";
    public const string InvalidSpec = "InvalidSpec";
    public const string SecretNotFound = "SecretNotFound";
    public const string SecretKeyNotFound = "SecretKeyNotFound";
    public const string DeploymentReady = "DeploymentReady";
    public const string DeploymentProgressing = "DeploymentProgressing";
    public const string DeploymentUnavailable = "DeploymentUnavailable";
    public const string DeploymentNotOwned = "DeploymentNotOwned";
    public const string DeploymentPending = "DeploymentPending";
    public const string DeploymentCreated = "DeploymentCreated";
    public const string DeploymentUpdated = "DeploymentUpdated";
    public const string ReconcileFailed = "ReconcileFailed";
    public const string SinkNamespaceNotAllowed = "SinkNamespaceNotAllowed";

    /// <summary>Knative's own wording (knative/eventing pkg/auth/serviceaccount.go), kept so tooling that knows it matches.</summary>
    public const string OIDCIdentityFailed = "Unable to resolve service account for OIDC authentication";

    /// <summary>Knative's reason when the flag is off: "authentication-oidc feature disabled".</summary>
    public const string OIDCFeatureDisabled = "authentication-oidc feature disabled";
}
