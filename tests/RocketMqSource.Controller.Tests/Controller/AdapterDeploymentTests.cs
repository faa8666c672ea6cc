using System.Text.Json.Nodes;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Configuration;
using RocketMqSource.Controller.Reconciling;
using static RocketMqSource.Controller.Tests.Controller.Fixtures;

namespace RocketMqSource.Controller.Tests.Controller;

/// <summary>The desired adapter Deployment: env contract, identity, ownership, hardening.</summary>
public sealed class AdapterDeploymentTests
{
    /// <summary>The Deployment as the official client sends it to the API server.</summary>
    private static JsonObject Build(V1Alpha1RocketMQSource source, SinkResolution? sink = null, ResolvedAddress? deadLetter = null, AdapterSettings? settings = null, string? secretVersions = null) =>
        ToJson(Typed(source, sink, deadLetter, settings, secretVersions));

    private static V1Deployment Typed(V1Alpha1RocketMQSource source, SinkResolution? sink = null, ResolvedAddress? deadLetter = null, AdapterSettings? settings = null, string? secretVersions = null) =>
        AdapterDeploymentBuilder.Build(source, (sink ?? Sink()).Address!, deadLetter, settings ?? Settings, secretVersions);

    [Fact]
    public void Maps_the_spec_onto_the_adapter_environment()
    {
        var deployment = Build(Source(s =>
        {
            s.Namespace = "MQ_INST_1";
            s.Filter = new RocketMQFilter { Type = "SQL92", Expression = "region = 'eu'" };
            s.Tls = true;
            s.BatchSize = 8;
            s.InvisibleDuration = "1m30s";
            s.AwaitDuration = "10s";
            s.MaxInFlight = 128;
            s.Ordering = "unordered";
            s.Delivery = new DeliverySpec { Retry = 5, BackoffPolicy = "linear", BackoffDelay = "PT0.5S", Timeout = "PT2.1S" };
            s.CeOverrides = new CloudEventOverrides { Extensions = new Dictionary<string, string> { ["team"] = "food", ["env"] = "prod" } };
        }), deadLetter: new ResolvedAddress(new Uri("http://dls.food.svc.cluster.local/"), null, null));

        Assert.Equal(BrokerUrl.ToString(), Env(deployment, "K_SINK"));
        Assert.Equal("orders", Env(deployment, "NAME"));
        Assert.Equal("food", Env(deployment, "NAMESPACE"));
        Assert.Equal("rmq-proxy.rocketmq:8081", Env(deployment, "ROCKETMQ_ENDPOINTS"));
        Assert.Equal("MQ_INST_1", Env(deployment, "ROCKETMQ_NAMESPACE"));
        Assert.Equal("orders", Env(deployment, "ROCKETMQ_TOPIC"));
        Assert.Equal("order-dispatch", Env(deployment, "ROCKETMQ_CONSUMER_GROUP"));
        Assert.Equal("SQL92", Env(deployment, "ROCKETMQ_FILTER_TYPE"));
        Assert.Equal("region = 'eu'", Env(deployment, "ROCKETMQ_FILTER_EXPRESSION"));
        Assert.Equal("true", Env(deployment, "ROCKETMQ_TLS"));
        Assert.Equal("8", Env(deployment, "ROCKETMQ_BATCH_SIZE"));
        Assert.Equal("1m30s", Env(deployment, "ROCKETMQ_INVISIBLE_DURATION"));
        Assert.Equal("10s", Env(deployment, "ROCKETMQ_AWAIT_DURATION"));
        Assert.Equal("128", Env(deployment, "ROCKETMQ_MAX_IN_FLIGHT"));
        Assert.Equal("unordered", Env(deployment, "ROCKETMQ_ORDERING"));
        Assert.Equal("5", Env(deployment, "K_RETRY"));
        Assert.Equal("linear", Env(deployment, "K_BACKOFF_POLICY"));
        Assert.Equal("PT0.5S", Env(deployment, "K_BACKOFF_DELAY"));
        Assert.Equal("3", Env(deployment, "K_SINK_TIMEOUT")); // PT2.1S rounded up to whole seconds
        Assert.Equal("http://dls.food.svc.cluster.local/", Env(deployment, "K_DEAD_LETTER_SINK"));
        Assert.Equal("""{"extensions":{"env":"prod","team":"food"}}""", Env(deployment, "K_CE_OVERRIDES"));
        Assert.Equal("9092", Env(deployment, "METRICS_PORT"));
        Assert.Equal("8080", Env(deployment, "HEALTH_PORT"));
    }

    [Fact]
    public void Omits_optional_variables_that_have_no_value()
    {
        var deployment = Build(Source());

        foreach (var name in new[] { "ROCKETMQ_NAMESPACE", "K_CA_CERTS", "K_AUDIENCE", "K_OIDC_SERVICE_ACCOUNT", "K_CE_OVERRIDES", "K_SINK_TIMEOUT", "K_DEAD_LETTER_SINK", "K_LOGGING_CONFIG", "ROCKETMQ_ACCESS_KEY" })
        {
            Assert.Null(EnvVar(deployment, name));
        }

        var names = Container(deployment)["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Credentials_and_the_CA_bundle_come_only_from_secretKeyRefs()
    {
        var deployment = Build(Source(s =>
        {
            s.Tls = true;
            s.Credentials = new RocketMQCredentials
            {
                AccessKey = Ref("rmq-credentials", "accessKey"),
                SecretKey = Ref("rmq-credentials", "secretKey"),
                SecurityToken = Ref("rmq-sts", "token"),
            };
            s.CaCert = Ref("rmq-ca", "ca.crt");
        }));

        foreach (var (name, secret, key) in new[]
        {
            ("ROCKETMQ_ACCESS_KEY", "rmq-credentials", "accessKey"), ("ROCKETMQ_SECRET_KEY", "rmq-credentials", "secretKey"),
            ("ROCKETMQ_SECURITY_TOKEN", "rmq-sts", "token"), ("ROCKETMQ_CA_CERTS", "rmq-ca", "ca.crt"),
        })
        {
            var variable = EnvVar(deployment, name)!;
            Assert.Null(variable["value"]);
            Assert.Equal(secret, variable["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>());
            Assert.Equal(key, variable["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>());
        }
    }

    [Fact]
    public void An_https_sink_passes_its_CA_certificates_and_an_OIDC_audience_gets_a_projected_token()
    {
        var deployment = Build(Source(s => s.ServiceAccountName = "orders-adapter"), Sink("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "broker/food/default"));
        var pod = deployment["spec"]!["template"]!["spec"]!;

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", Env(deployment, "K_CA_CERTS"));
        Assert.Equal("broker/food/default", Env(deployment, "K_AUDIENCE"));
        // Without Knative's authentication-oidc flag there is no OIDC account to request tokens for.
        Assert.Null(EnvVar(deployment, "K_OIDC_SERVICE_ACCOUNT"));
        Assert.Equal("orders-adapter", pod["serviceAccountName"]!.GetValue<string>());
        // The token is projected, so the API token stays unmounted even with OIDC.
        Assert.False(pod["automountServiceAccountToken"]!.GetValue<bool>());
        var projected = pod["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "oidc-token")!["projected"]!["sources"]![0]!["serviceAccountToken"]!;
        Assert.Equal("broker/food/default", projected["audience"]!.GetValue<string>());
        Assert.Contains(Container(deployment)["volumeMounts"]!.AsArray(), m => m!["mountPath"]!.GetValue<string>() == "/var/run/secrets/tokens");
    }

    [Fact]
    public void Named_after_the_source_with_a_uid_hash_and_labelled_for_Knative()
    {
        var deployment = Build(Source());
        var name = deployment["metadata"]!["name"]!.GetValue<string>();
        var labels = deployment["metadata"]!["labels"]!;

        Assert.Matches("^rocketmqsource-orders-[0-9a-f]{8}$", name);
        Assert.Equal("rocketmq-source-controller", labels["eventing.knative.dev/source"]!.GetValue<string>());
        Assert.Equal("orders", labels["eventing.knative.dev/sourceName"]!.GetValue<string>());
        Assert.Equal("rocketmqsource-adapter", labels["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Equal("rocketmqsource-controller", labels["app.kubernetes.io/managed-by"]!.GetValue<string>());
        var selector = deployment["spec"]!["selector"]!["matchLabels"]!.AsObject();
        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.All(selector, pair => Assert.Equal(pair.Value!.GetValue<string>(), podLabels[pair.Key]!.GetValue<string>()));
    }

    [Fact]
    public void Long_and_dotted_names_still_give_a_DNS_label_of_at_most_63_characters()
    {
        var source = Source();
        source.Metadata!.Name = "orders.eu-west." + new string('x', 200);
        var other = Source();
        other.Metadata!.Name = source.Metadata.Name;
        other.Metadata.Uid = "another-uid";

        var name = AdapterNames.DeploymentName(source);

        Assert.True(name.Length <= 63, name);
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", name);
        Assert.NotEqual(name, AdapterNames.DeploymentName(other));
        Assert.True(AdapterNames.SourceNameValue(source.Metadata.Name).Length <= 63);
    }

    [Fact]
    public void Owned_by_the_source_as_its_controller()
    {
        var owner = Build(Source())["metadata"]!["ownerReferences"]!.AsArray().Single()!;

        Assert.Equal("sources.knative.dev/v1alpha1", owner["apiVersion"]!.GetValue<string>());
        Assert.Equal("RocketMQSource", owner["kind"]!.GetValue<string>());
        Assert.Equal("orders", owner["name"]!.GetValue<string>());
        Assert.Equal(Uid, owner["uid"]!.GetValue<string>());
        Assert.True(owner["controller"]!.GetValue<bool>());
        Assert.True(owner["blockOwnerDeletion"]!.GetValue<bool>());
    }

    [Fact]
    public void Runs_restricted_with_named_probe_and_metrics_ports()
    {
        var deployment = Build(Source(s => s.Replicas = 3));
        var container = Container(deployment);
        var security = container["securityContext"]!;

        Assert.Equal(3, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(Settings.Image, container["image"]!.GetValue<string>());
        Assert.True(security["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal(65532, security["runAsUser"]!.GetValue<int>());
        Assert.True(security["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.False(security["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.Equal("ALL", security["capabilities"]!["drop"]![0]!.GetValue<string>());
        Assert.Equal("RuntimeDefault", security["seccompProfile"]!["type"]!.GetValue<string>());
        Assert.Equal("default", deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>());
        Assert.False(deployment["spec"]!["template"]!["spec"]!["automountServiceAccountToken"]!.GetValue<bool>());
        var ports = container["ports"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["containerPort"]!.GetValue<int>());
        Assert.Equal(new Dictionary<string, int> { ["metrics"] = 9092, ["health"] = 8080 }, ports);
        Assert.Equal("/health", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/readiness", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("health", container["readinessProbe"]!["httpGet"]!["port"]!.GetValue<string>());
    }

    [Fact]
    public void Resources_and_logging_config_are_carried_over()
    {
        var settings = Settings with { LoggingConfig = AdapterEnvironment.LoggingConfig("{\"level\":\"info\"}", "debug") };
        // As the API server returns the spec: a quantity may be a JSON number.
        var resources = FromJson<V1ResourceRequirements>(JsonNode.Parse("""{"requests":{"cpu":"100m","memory":134217728}}""")!);
        var deployment = Build(Source(s => s.Resources = resources), settings: settings);

        Assert.Equal("100m", Container(deployment)["resources"]!["requests"]!["cpu"]!.GetValue<string>());
        Assert.Equal("""{"loglevel.adapter":"debug","zap-logger-config":"{\u0022level\u0022:\u0022info\u0022}"}""", Env(deployment, "K_LOGGING_CONFIG"));
        Assert.Null(AdapterEnvironment.LoggingConfig(null, " "));
    }

    [Fact]
    public void Secret_versions_go_into_a_pod_template_annotation_so_rotation_rolls_the_pods()
    {
        var before = Typed(Source(), secretVersions: "rmq-credentials=10");
        var after = Typed(Source(), secretVersions: "rmq-credentials=11");

        Assert.Equal("rmq-credentials=10", before.Spec.Template.Metadata.Annotations[AdapterDeploymentBuilder.SecretVersionsAnnotation]);
        Assert.True(DeploymentComparison.NeedsUpdate(after, CachedDeployment.From(Stored(before))));
    }

    private static SecretValueFromSource Ref(string name, string key) => new() { SecretKeyRef = new SecretKeyReference { Name = name, Key = key } };

    [Fact]
    public void The_adapter_s_termination_message_is_kept_and_the_log_tail_stands_in_when_it_wrote_none()
    {
        var container = Container(Build(Source(), Sink()));

        Assert.Equal("FallbackToLogsOnError", container["terminationMessagePolicy"]!.GetValue<string>());
    }
}
