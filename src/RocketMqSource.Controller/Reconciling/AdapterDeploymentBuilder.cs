using System.Text.Json.Nodes;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Sinks;

namespace RocketMqSource.Controller.Reconciling;

/// <summary>
/// The desired adapter Deployment of a source (pure). Built as JSON so every pod field the
/// controller owns (projected OIDC token volume, automountServiceAccountToken, ...) is explicit.
/// </summary>
internal static class AdapterDeploymentBuilder
{
    public const string SecretVersionsAnnotation = "sources.knative.dev/rocketmq-secret-versions";
    private const string TokenDirectory = "/var/run/secrets/tokens";

    /// <param name="secretVersions">resourceVersions of the referenced Secrets; a change re-rolls the pods (env from Secrets is read at start).</param>
    public static JsonObject Build(V1Alpha1RocketMQSource source, ResolvedAddress sink, ResolvedAddress? deadLetterSink, AdapterSettings settings, string? secretVersions)
    {
        var spec = source.Spec!;
        var meta = source.Metadata!;
        var podAnnotations = new JsonObject();
        if (!string.IsNullOrEmpty(secretVersions))
        {
            podAnnotations[SecretVersionsAnnotation] = secretVersions;
        }

        var oidc = !string.IsNullOrEmpty(sink.Audience);
        var container = new JsonObject
        {
            ["name"] = AdapterNames.ContainerName,
            ["image"] = settings.Image,
            ["env"] = AdapterEnvironment.Build(source, sink, deadLetterSink, settings),
            ["ports"] = new JsonArray(Port("metrics", AdapterSettings.MetricsPort), Port("health", AdapterSettings.HealthPort)),
            ["livenessProbe"] = Probe("/health", initialDelaySeconds: 5, periodSeconds: 10),
            ["readinessProbe"] = Probe("/readiness", initialDelaySeconds: null, periodSeconds: 5),
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = 65532,
                ["readOnlyRootFilesystem"] = true,
                ["allowPrivilegeEscalation"] = false,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
            ["volumeMounts"] = VolumeMounts(oidc),
        };
        if (spec.Resources is { Count: > 0 } resources)
        {
            container["resources"] = resources.DeepClone();
        }

        var podSpec = new JsonObject
        {
            ["serviceAccountName"] = AdapterEnvironment.ServiceAccountName(spec),
            // The adapter calls no Kubernetes API; an OIDC token comes from its own projected volume.
            ["automountServiceAccountToken"] = false,
            ["enableServiceLinks"] = false,
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = 65532,
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
            ["containers"] = new JsonArray(container),
            ["volumes"] = Volumes(oidc, sink.Audience),
        };

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject
            {
                ["name"] = AdapterNames.DeploymentName(source),
                ["namespace"] = meta.Namespace,
                ["labels"] = Map(AdapterNames.Labels(source)),
                ["ownerReferences"] = new JsonArray(OwnerReference(source)),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = spec.Replicas ?? 1,
                ["selector"] = new JsonObject { ["matchLabels"] = Map(AdapterNames.SelectorLabels(source)) },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = Map(AdapterNames.Labels(source)), ["annotations"] = podAnnotations },
                    ["spec"] = podSpec,
                },
            },
        };
    }

    /// <summary>The owner reference that makes the source the Deployment's controller (deletion cascades).</summary>
    public static JsonObject OwnerReference(V1Alpha1RocketMQSource source) => new()
    {
        ["apiVersion"] = V1Alpha1RocketMQSource.ApiGroupVersion,
        ["kind"] = V1Alpha1RocketMQSource.KindName,
        ["name"] = source.Metadata!.Name,
        ["uid"] = source.Metadata.Uid,
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static JsonArray VolumeMounts(bool oidc)
    {
        var mounts = new JsonArray(new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" });
        if (oidc)
        {
            mounts.Add(new JsonObject { ["name"] = "oidc-token", ["mountPath"] = TokenDirectory, ["readOnly"] = true });
        }

        return mounts;
    }

    private static JsonArray Volumes(bool oidc, string? audience)
    {
        var volumes = new JsonArray(new JsonObject
        {
            ["name"] = "tmp",
            ["emptyDir"] = new JsonObject { ["medium"] = "Memory", ["sizeLimit"] = "16Mi" },
        });
        if (oidc)
        {
            volumes.Add(new JsonObject
            {
                ["name"] = "oidc-token",
                ["projected"] = new JsonObject
                {
                    ["sources"] = new JsonArray(new JsonObject
                    {
                        ["serviceAccountToken"] = new JsonObject { ["audience"] = audience, ["expirationSeconds"] = 3600, ["path"] = "oidc-token" },
                    }),
                },
            });
        }

        return volumes;
    }

    private static JsonObject Port(string name, int port) => new() { ["name"] = name, ["containerPort"] = port, ["protocol"] = "TCP" };

    private static JsonObject Probe(string path, int? initialDelaySeconds, int periodSeconds)
    {
        var probe = new JsonObject
        {
            ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = "health" },
            ["periodSeconds"] = periodSeconds,
            ["failureThreshold"] = 3,
        };
        if (initialDelaySeconds is { } delay)
        {
            probe["initialDelaySeconds"] = delay;
        }

        return probe;
    }

    private static JsonObject Map(IDictionary<string, string> values) =>
        new(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)));
}
