using k8s.Models;
using RocketMqSource.Contract;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// The desired adapter Deployment of a source (pure), in the official typed model. Every pod
/// field the controller owns (projected OIDC token volume, automountServiceAccountToken, ...)
/// is explicit.
/// </summary>
internal static class AdapterDeploymentBuilder
{
    public const string SecretVersionsAnnotation = "sources.knative.dev/rocketmq-secret-versions";
    private const long NonRootUser = 65532;

    /// <param name="secretVersions">resourceVersions of the referenced Secrets; a change re-rolls the pods (env from Secrets is read at start).</param>
    /// <param name="identity">Set when Knative's authentication-oidc is enabled: the adapter requests tokens for the source's OIDC service account with its own pod token.</param>
    public static V1Deployment Build(V1Alpha1RocketMQSource source, ResolvedAddress sink, ResolvedAddress? deadLetterSink, AdapterSettings settings, string? secretVersions, AdapterIdentity? identity = null)
    {
        var spec = source.Spec!;
        var meta = source.Metadata;
        var podAnnotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(secretVersions))
        {
            podAnnotations[SecretVersionsAnnotation] = secretVersions;
        }

        // Without the flag a projected token of the pod's own account, for the sink audience, is the identity.
        var oidc = identity is null && !string.IsNullOrEmpty(sink.Audience);
        var container = new V1Container
        {
            Name = AdapterNames.ContainerName,
            Image = settings.Image,
            Env = AdapterEnvironment.Build(source, sink, deadLetterSink, settings, identity),
            Ports = [Port("metrics", AdapterSettings.MetricsPort), Port("health", AdapterSettings.HealthPort)],
            LivenessProbe = Probe("/health", initialDelaySeconds: 5, periodSeconds: 10),
            ReadinessProbe = Probe("/readiness", initialDelaySeconds: null, periodSeconds: 5),
            // The adapter writes why it stopped to /dev/termination-log; should it die before it can, the log's tail shows instead.
            TerminationMessagePolicy = "FallbackToLogsOnError",
            SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = NonRootUser,
                ReadOnlyRootFilesystem = true,
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            VolumeMounts = VolumeMounts(oidc),
            Resources = spec.Resources is { } resources && (resources.Limits?.Count > 0 || resources.Requests?.Count > 0) ? resources : null,
        };

        var podSpec = new V1PodSpec
        {
            ServiceAccountName = AdapterEnvironment.ServiceAccountName(spec),
            // The adapter calls the Kubernetes API only for TokenRequests (authentication-oidc enabled);
            // otherwise an OIDC token comes from its own projected volume.
            AutomountServiceAccountToken = identity is not null,
            EnableServiceLinks = false,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = NonRootUser,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            Containers = [container],
            Volumes = Volumes(oidc, sink.Audience),
        };

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = V1Deployment.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = AdapterNames.DeploymentName(source),
                NamespaceProperty = meta.NamespaceProperty,
                Labels = AdapterNames.Labels(source),
                OwnerReferences = [source.ControllerReference()],
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = spec.Replicas ?? 1,
                Selector = new V1LabelSelector { MatchLabels = AdapterNames.SelectorLabels(source) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = AdapterNames.Labels(source), Annotations = podAnnotations },
                    Spec = podSpec,
                },
            },
        };
    }

    private static List<V1VolumeMount> VolumeMounts(bool oidc)
    {
        var mounts = new List<V1VolumeMount> { new() { Name = "tmp", MountPath = "/tmp" } };
        if (oidc)
        {
            mounts.Add(new V1VolumeMount { Name = "oidc-token", MountPath = OidcToken.Directory, ReadOnlyProperty = true });
        }

        return mounts;
    }

    private static List<V1Volume> Volumes(bool oidc, string? audience)
    {
        var volumes = new List<V1Volume> { new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("16Mi") } } };
        if (oidc)
        {
            volumes.Add(new V1Volume
            {
                Name = "oidc-token",
                Projected = new V1ProjectedVolumeSource
                {
                    Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Audience = audience, ExpirationSeconds = 3600, Path = OidcToken.FileName } }],
                },
            });
        }

        return volumes;
    }

    private static V1ContainerPort Port(string name, int port) => new() { Name = name, ContainerPort = port, Protocol = "TCP" };

    private static V1Probe Probe(string path, int? initialDelaySeconds, int periodSeconds) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = "health" },
        InitialDelaySeconds = initialDelaySeconds,
        PeriodSeconds = periodSeconds,
        FailureThreshold = 3,
    };
}
