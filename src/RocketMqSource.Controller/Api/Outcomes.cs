using RocketMqSource.RocketMq;

namespace RocketMqSource.Controller.Api;

// What a reconcile finds, typed: resolvers, probes and planners return these, and only
// RocketMQSourceStatus's Mark*/Propagate* methods turn them into reasons and messages.

/// <summary>A resolved destination (knative/pkg duckv1.Addressable): where to send, what to trust there, whom to present.</summary>
internal sealed record ResolvedAddress(Uri Uri, string? CACerts, string? Audience);

internal enum SinkProblem
{
    /// <summary>The Destination itself is unusable; <see cref="SinkFailure.Subject"/> is the validator's finding.</summary>
    InvalidSpec,

    /// <summary>The ref is in another namespace; Subject is the ref's namespace, Detail the source's.</summary>
    NamespaceNotAllowed,

    /// <summary>The referenced object (Subject, "Broker food/default") does not exist, or nobody serves its kind.</summary>
    NotFound,

    /// <summary>The controller may not read the referenced object.</summary>
    Forbidden,

    /// <summary>The object reports Ready other than True; Detail is its own message.</summary>
    NotReady,

    /// <summary>The object has no address.</summary>
    NotAddressable,

    /// <summary>transport-encryption is strict and the destination is plain http; Detail is that address.</summary>
    NotHttps,
}

/// <param name="Subject">What failed, as people name it ("Broker food/default"), or see <see cref="SinkProblem"/>.</param>
internal sealed record SinkFailure(SinkProblem Problem, string Subject, string? Detail = null);

/// <summary>A Destination resolved to an address, or why not.</summary>
internal sealed record SinkResolution(ResolvedAddress? Address, SinkFailure? Failure)
{
    public bool Resolved => Address is not null;

    public static SinkResolution Success(ResolvedAddress address) => new(address, null);

    public static SinkResolution Fail(SinkProblem problem, string subject, string? detail = null) => new(null, new SinkFailure(problem, subject, detail));
}

internal enum SecretProblem
{
    NotFound,
    KeyNotFound,
}

/// <summary>The referenced Secrets: the first one missing (or missing its key), or their resourceVersions for the pod template.</summary>
internal sealed record SecretCheck(SecretProblem? Problem, string Namespace, SecretReference? Secret, string? Versions)
{
    public static SecretCheck Found(string @namespace, string? versions) => new(null, @namespace, null, versions);
}

/// <summary>What a RocketMQ connectivity message may name: never a secret or token.</summary>
internal sealed record RocketMqTarget(string Endpoints, string Namespace, string Topic, string? AccessKey);

/// <summary>The connectivity check's result.</summary>
internal abstract record RocketMqCheck;

/// <summary>The proxy routes the topic to this many queues.</summary>
internal sealed record TopicRoutedCheck(RocketMqTarget Target, int Queues) : RocketMqCheck;

/// <param name="Cause">What the client or the proxy said, with any credential value already redacted.</param>
/// <param name="Kind">The client's classification of the failure (RocketMqFailure).</param>
internal sealed record RocketMqFailedCheck(RocketMqTarget Target, RocketMqFailureKind Kind, string Cause) : RocketMqCheck;

/// <summary>Not checked: the spec lacks endpoints or topic (<paramref name="Secrets"/> null), or a referenced Secret is missing.</summary>
internal sealed record RocketMqNotChecked(SecretCheck? Secrets) : RocketMqCheck;

internal enum DeploymentBlocker
{
    InvalidSpec,
    NotOwned,
    WaitingForSink,
    WaitingForDeadLetterSink,
    WaitingForIdentity,
    SecretNotFound,
    SecretKeyNotFound,
}

/// <summary>Why the adapter Deployment cannot be made right.</summary>
/// <param name="Detail">InvalidSpec: the problems; NotOwned: the Deployment's namespace/name.</param>
/// <param name="Secrets">SecretNotFound and SecretKeyNotFound: which Secret.</param>
internal sealed record DeploymentBlock(DeploymentBlocker Blocker, string? Detail = null, SecretCheck? Secrets = null);

/// <summary>What the reconcile found about the source's OIDC identity.</summary>
/// <param name="Failure">Why the identity could not be made (the API server's answer), when it could not.</param>
internal sealed record OidcOutcome(bool Enabled, string? ServiceAccountName, string? Failure);

internal enum AutoscalerProblem
{
    KedaNotInstalled,

    /// <summary>Detail: each bad annotation.</summary>
    InvalidAnnotations,

    /// <summary>Detail: the ConfigMap (namespace/name) that lacks the Prometheus address.</summary>
    NoPrometheus,

    /// <summary>Detail: the foreign ScaledObject's namespace/name.</summary>
    NotOwned,
}

/// <summary>How a source's autoscaling went.</summary>
internal abstract record AutoscalerOutcome;

internal sealed record AutoscalerBlocked(AutoscalerProblem Problem, string Detail = "") : AutoscalerOutcome;

/// <summary>Our ScaledObject and KEDA's Ready condition on it (status and message, when KEDA has reported).</summary>
internal sealed record ScaledObjectObserved(string Name, string? ReadyStatus, string? ReadyMessage) : AutoscalerOutcome;
