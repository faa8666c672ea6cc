namespace RocketMqSource.Kubernetes.Models;

public sealed class V1PodTemplateSpec
{
    public V1ObjectMeta? Metadata { get; set; }

    public V1PodSpec? Spec { get; set; }
}

/// <summary>core/v1 PodSpec (subset).</summary>
public sealed class V1PodSpec
{
    public string? ServiceAccountName { get; set; }

    public IList<V1Container> Containers { get; set; } = [];

    public V1PodSecurityContext? SecurityContext { get; set; }

    public long? TerminationGracePeriodSeconds { get; set; }

    public IDictionary<string, string>? NodeSelector { get; set; }
}

/// <summary>core/v1 Container (subset).</summary>
public sealed class V1Container
{
    public string? Name { get; set; }

    public string? Image { get; set; }

    public string? ImagePullPolicy { get; set; }

    public IList<string>? Command { get; set; }

    public IList<string>? Args { get; set; }

    public IList<V1EnvVar>? Env { get; set; }

    public IList<V1ContainerPort>? Ports { get; set; }

    public V1ResourceRequirements? Resources { get; set; }

    public V1Probe? ReadinessProbe { get; set; }

    public V1Probe? LivenessProbe { get; set; }

    public V1SecurityContext? SecurityContext { get; set; }
}

public sealed class V1EnvVar
{
    public string? Name { get; set; }

    public string? Value { get; set; }

    public V1EnvVarSource? ValueFrom { get; set; }
}

public sealed class V1EnvVarSource
{
    public V1SecretKeySelector? SecretKeyRef { get; set; }
}

/// <summary>core/v1 SecretKeySelector: one key of a Secret in the pod's namespace.</summary>
public sealed class V1SecretKeySelector
{
    public string? Name { get; set; }

    public string? Key { get; set; }

    public bool? Optional { get; set; }
}

public sealed class V1ContainerPort
{
    public string? Name { get; set; }

    public int ContainerPort { get; set; }

    public string? Protocol { get; set; }
}

/// <summary>Requests and limits as quantity strings, e.g. {"cpu":"100m","memory":"128Mi"}.</summary>
public sealed class V1ResourceRequirements
{
    public IDictionary<string, string>? Requests { get; set; }

    public IDictionary<string, string>? Limits { get; set; }
}

public sealed class V1Probe
{
    public V1HTTPGetAction? HttpGet { get; set; }

    public int? InitialDelaySeconds { get; set; }

    public int? PeriodSeconds { get; set; }

    public int? TimeoutSeconds { get; set; }

    public int? FailureThreshold { get; set; }

    public int? SuccessThreshold { get; set; }
}

public sealed class V1HTTPGetAction
{
    public string? Path { get; set; }

    public IntOrString? Port { get; set; }

    public string? Scheme { get; set; }
}

/// <summary>Container security context (subset).</summary>
public sealed class V1SecurityContext
{
    public bool? AllowPrivilegeEscalation { get; set; }

    public bool? ReadOnlyRootFilesystem { get; set; }

    public bool? RunAsNonRoot { get; set; }

    public long? RunAsUser { get; set; }

    public V1Capabilities? Capabilities { get; set; }

    public V1SeccompProfile? SeccompProfile { get; set; }
}

/// <summary>Pod security context (subset).</summary>
public sealed class V1PodSecurityContext
{
    public bool? RunAsNonRoot { get; set; }

    public long? RunAsUser { get; set; }

    public long? RunAsGroup { get; set; }

    public long? FsGroup { get; set; }

    public V1SeccompProfile? SeccompProfile { get; set; }
}

public sealed class V1Capabilities
{
    public IList<string>? Add { get; set; }

    public IList<string>? Drop { get; set; }
}

public sealed class V1SeccompProfile
{
    /// <summary>RuntimeDefault, Localhost or Unconfined.</summary>
    public string? Type { get; set; }
}
