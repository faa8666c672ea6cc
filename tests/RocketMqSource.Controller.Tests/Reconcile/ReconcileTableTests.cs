using System.Text.Json.Nodes;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Tests.Controller;
using static RocketMqSource.Controller.Tests.Reconcile.ReconcileTable;

namespace RocketMqSource.Controller.Tests.Reconcile;

/// <summary>
/// The reconciler as a table: for each situation, the objects the API server holds, then every
/// request one reconcile sends (reads included: a cached reconcile reads nothing), the conditions
/// it leaves and the Events it records.
/// </summary>
public sealed class ReconcileTableTests
{
    private const string RocketMqRouted = "RocketMQReady True TopicRouted";
    private const string SinkResolved = "SinkProvided True SinkResolved";
    private const string OidcOff = "OIDCIdentityCreated True authentication-oidc feature disabled";
    private const string BrokerUrl = "http://broker-ingress.knative-eventing.svc.cluster.local/food/default";
    private const string Pem = "-----BEGIN CERTIFICATE-----\nBROKER\n-----END CERTIFICATE-----\n";

    /// <summary>The sink kind's informer starts on first use: a list to learn it is served, then its own list.</summary>
    private static readonly string[] FirstSinkRead = ["GET brokers", "GET brokers"];

    public static TheoryData<Row> Rows => new()
    {
        new Row("a new source with a ready Broker gets its adapter Deployment and waits for it")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(); }),
            WantRequests = [.. FirstSinkRead, "POST deployments", "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready Unknown DeploymentProgressing", "Deployed Unknown DeploymentProgressing", RocketMqRouted, SinkResolved, OidcOff],
            WantEvents = ["Normal DeploymentCreated"],
            Then = t =>
            {
                var source = t.StoredSource();
                var owner = t.Deployment()!["metadata"]!["ownerReferences"]![0]!;
                Assert.Equal((source.Metadata.Uid, true), ((string?)owner["uid"], (bool)owner["controller"]!));
                Assert.Equal(BrokerUrl, source.Status!.SinkUri);
                Assert.Equal("/apis/v1/namespaces/food/rocketmqsources/orders#orders", source.Status.CeAttributes![0].Source);
                Assert.Equal(1, source.Status.ObservedGeneration);
                Assert.Equal("waiting for Deployment food/" + AdapterNames.DeploymentName(source) + " to roll out", source.Status.Condition("Deployed")!.Message);
            },
        },
        new Row("an available Deployment makes the source Ready, with no reason, as Knative's Ready=True")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(); t.SeedAdapterDeployment(null, Available); }),
            WantRequests = [.. FirstSinkRead, "PUT rocketmqsources/status"],
            WantConditions = ["Ready True -", "Deployed True DeploymentReady", RocketMqRouted, SinkResolved, OidcOff],
            Then = t =>
            {
                var status = t.StoredSource().Status!;
                Assert.Null(status.Condition("Ready")!.Message);
                Assert.Equal((1, "eventing.knative.dev/source=rocketmq-source-controller,eventing.knative.dev/sourceName=orders"), (status.Replicas, status.Selector));
            },
        },
        new Row("a reconcile that finds everything in order sends nothing, reads included")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(); t.SeedAdapterDeployment(null, Available); }),
            ReconciledBefore = true,
            WantRequests = [],
            WantConditions = ["Ready True -", "Deployed True DeploymentReady", RocketMqRouted, SinkResolved, OidcOff],
        },
        new Row("a topic change updates the adapter's environment and keeps what others set")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(s => s.Topic = "refunds"); t.SeedAdapterDeployment(s => s.Topic = "orders", Available); }),
            // The update is written onto the whole stored Deployment, read for it (the cache keeps part).
            WantRequests = [.. FirstSinkRead, "GET deployments", "PUT deployments", "PUT rocketmqsources/status", "POST events"],
            // The updated Deployment's new generation is not yet observed by the Deployment controller.
            WantConditions = ["Ready Unknown DeploymentProgressing", "Deployed Unknown DeploymentProgressing", RocketMqRouted, SinkResolved, OidcOff],
            WantEvents = ["Normal DeploymentUpdated"],
            Then = t =>
            {
                Assert.Equal("refunds", Fixtures.Env(t.Deployment()!, "ROCKETMQ_TOPIC"));
                Assert.Equal("/apis/v1/namespaces/food/rocketmqsources/orders#refunds", t.StoredSource().Status!.CeAttributes![0].Source);
            },
        },
        new Row("a missing Broker is SinkNotFound: nothing is deployed and a Warning says why")
        {
            Given = Seed(t => t.SeedSource()),
            WantRequests = [.. FirstSinkRead, "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready False SinkNotFound", "Deployed Unknown DeploymentPending", RocketMqRouted, "SinkProvided False SinkNotFound", OidcOff],
            WantEvents = ["Warning SinkNotFound"],
            Then = t =>
            {
                var status = t.StoredSource().Status!;
                Assert.Equal("Broker food/default not found", status.Condition("Ready")!.Message);
                Assert.Null(status.SinkUri);
                Assert.Null(t.Deployment());
            },
        },
        new Row("a Broker that is not ready is SinkNotReady, in its own words")
        {
            Given = Seed(t =>
            {
                t.SeedSource();
                t.SeedBroker(status: new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False", ["reason"] = "NoIngress", ["message"] = "ingress endpoints are not ready" }),
                });
            }),
            WantRequests = [.. FirstSinkRead, "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready False SinkNotReady", "Deployed Unknown DeploymentPending", RocketMqRouted, "SinkProvided False SinkNotReady", OidcOff],
            WantEvents = ["Warning SinkNotReady"],
            Then = t => Assert.Equal("Broker food/default is not ready: ingress endpoints are not ready", t.StoredSource().Status!.Condition("SinkProvided")!.Message),
        },
        new Row("an object without an address is SinkNotAddressable")
        {
            Given = Seed(t => { t.SeedSource(); t.SeedBroker(status: new JsonObject()); }),
            WantRequests = [.. FirstSinkRead, "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready False SinkNotAddressable", "Deployed Unknown DeploymentPending", RocketMqRouted, "SinkProvided False SinkNotAddressable", OidcOff],
            WantEvents = ["Warning SinkNotAddressable"],
        },
        new Row("a dead-letter sink that does not resolve blocks the Deployment with its own reason")
        {
            Given = Seed(t =>
            {
                t.SeedBroker();
                t.SeedSource(s => s.Delivery = new DeliverySpec { DeadLetterSink = new Destination { Ref = new KReference { ApiVersion = "eventing.knative.dev/v1", Kind = "Broker", Name = "dls" } } });
            }),
            WantRequests = [.. FirstSinkRead, "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready False DeadLetterSinkNotFound", "Deployed Unknown DeploymentPending", RocketMqRouted, "SinkProvided False DeadLetterSinkNotFound", OidcOff],
            WantEvents = ["Warning DeadLetterSinkNotFound"],
            Then = t => Assert.Equal("spec.delivery.deadLetterSink: Broker food/dls not found", t.StoredSource().Status!.Condition("SinkProvided")!.Message),
        },
        new Row("a sink in another namespace is refused, unread, without cross-namespace-event-links")
        {
            Given = Seed(t => { t.SeedBroker(ns: "payments"); t.SeedSource(s => s.Sink!.Ref!.Namespace = "payments"); }),
            WantRequests = ["PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready False SinkNamespaceNotAllowed", "Deployed Unknown DeploymentPending", RocketMqRouted, "SinkProvided False SinkNamespaceNotAllowed", OidcOff],
            WantEvents = ["Warning SinkNamespaceNotAllowed"],
            Then = t => Assert.StartsWith("mismatched namespaces: parent namespace: \"food\" does not match ref: \"payments\"", t.StoredSource().Status!.Condition("SinkProvided")!.Message, StringComparison.Ordinal),
        },
        new Row("with cross-namespace-event-links enabled a sink in another namespace resolves")
        {
            Given = Seed(t => { t.SeedBroker(ns: "payments"); t.SeedSource(s => s.Sink!.Ref!.Namespace = "payments"); }),
            Features = new Dictionary<string, string> { ["cross-namespace-event-links"] = "enabled" },
            WantRequests = [.. FirstSinkRead, "POST deployments", "PUT rocketmqsources/status", "POST events"],
            WantEvents = ["Normal DeploymentCreated"],
            Then = t => Assert.Equal("http://broker-ingress.knative-eventing.svc.cluster.local/payments/default", t.StoredSource().Status!.SinkUri),
        },
        new Row("an invalid spec is InvalidSpec with every problem, and RocketMQ is not asked")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(s => { s.Topic = ""; s.InvisibleDuration = "5s"; }); }),
            WantRequests = [.. FirstSinkRead, "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready False InvalidSpec", "Deployed False InvalidSpec", "RocketMQReady Unknown NotChecked", SinkResolved, OidcOff],
            WantEvents = ["Warning InvalidSpec"],
            Then = t =>
            {
                var deployed = t.StoredSource().Status!.Condition("Deployed")!.Message;
                Assert.Contains("spec.topic is required", deployed, StringComparison.Ordinal);
                Assert.Contains("spec.invisibleDuration '5s' must be a duration such as 30s between 10s and 12h", deployed, StringComparison.Ordinal);
                Assert.Null(t.StoredSource().Status!.CeAttributes);
            },
        },
        new Row("a missing credentials Secret is SecretNotFound, known from the metadata cache without reading it")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(WithCredentials); }),
            WantRequests = [.. FirstSinkRead, "GET secrets", "GET secrets", "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready False SecretNotFound", "Deployed False SecretNotFound", "RocketMQReady Unknown NotChecked", SinkResolved, OidcOff],
            WantEvents = ["Warning SecretNotFound"],
            Then = t =>
            {
                var status = t.StoredSource().Status!;
                Assert.Equal("Secret food/rmq-credentials referenced by spec.credentials.accessKey not found", status.Condition("Deployed")!.Message);
                Assert.Equal("waiting for the credentials Secret: Secret food/rmq-credentials referenced by spec.credentials.accessKey not found", status.Condition("RocketMQReady")!.Message);
            },
        },
        new Row("a Secret without the referenced key is SecretKeyNotFound, after one read of that Secret")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(WithCredentials); t.SeedSecret("rmq-credentials", ("accessKey", "reader")); }),
            WantRequests = [.. FirstSinkRead, "GET secrets", "GET secrets", "GET secrets", "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready False SecretKeyNotFound", "Deployed False SecretKeyNotFound", "RocketMQReady Unknown NotChecked", SinkResolved, OidcOff],
            WantEvents = ["Warning SecretKeyNotFound"],
            Then = t => Assert.Equal("Secret food/rmq-credentials has no key 'secretKey' (referenced by spec.credentials.secretKey)", t.StoredSource().Status!.Condition("Deployed")!.Message),
        },
        new Row("with its Secret in place, the values are read for the check once: the next reconcile reads nothing")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(WithCredentials); t.SeedSecret("rmq-credentials", ("accessKey", "reader"), ("secretKey", "s3cret")); }),
            ReconciledBefore = true,
            WantRequests = [],
            WantConditions = ["Ready Unknown DeploymentProgressing", "Deployed Unknown DeploymentProgressing", RocketMqRouted, SinkResolved, OidcOff],
            WantEvents = ["Normal DeploymentCreated"],
            Then = t => Assert.DoesNotContain("s3cret", t.Deployment()!.ToJsonString(), StringComparison.Ordinal),
        },
        new Row("a Deployment of that name the source does not control is DeploymentNotOwned and left alone")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(); t.SeedForeignDeployment(); }),
            WantRequests = [.. FirstSinkRead, "POST deployments", "GET deployments", "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready False DeploymentNotOwned", "Deployed False DeploymentNotOwned", RocketMqRouted, SinkResolved, OidcOff],
            WantEvents = ["Warning DeploymentNotOwned"],
            Then = t =>
            {
                Assert.EndsWith("already exists and is not controlled by this RocketMQSource; delete or rename it", t.StoredSource().Status!.Condition("Deployed")!.Message, StringComparison.Ordinal);
                Assert.Null(t.Deployment()!["metadata"]!["ownerReferences"]);
            },
        },
        new Row("a stalled rollout is DeploymentUnavailable, in the Deployment's own words")
        {
            Given = Seed(t =>
            {
                t.SeedBroker();
                t.SeedSource();
                t.SeedAdapterDeployment(null, ("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet \"x\" has timed out progressing."));
            }),
            WantRequests = [.. FirstSinkRead, "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready False DeploymentUnavailable", "Deployed False DeploymentUnavailable", RocketMqRouted, SinkResolved, OidcOff],
            WantEvents = ["Warning DeploymentUnavailable"],
            Then = t => Assert.EndsWith("is unavailable: ReplicaSet \"x\" has timed out progressing.", t.StoredSource().Status!.Condition("Ready")!.Message, StringComparison.Ordinal),
        },
        new Row("an unreachable proxy is ProxyUnreachable, explains Ready before the Deployment, and asks to be checked again")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(); }),
            RocketMqUnreachable = true,
            WantRequests = [.. FirstSinkRead, "POST deployments", "PUT rocketmqsources/status", "POST events", "POST events"],
            WantConditions = ["Ready False ProxyUnreachable", "Deployed Unknown DeploymentProgressing", "RocketMQReady False ProxyUnreachable", SinkResolved, OidcOff],
            WantEvents = ["Normal DeploymentCreated", "Warning ProxyUnreachable"],
            Then = t =>
            {
                Assert.Equal("cannot reach the RocketMQ proxy at rmq-proxy.rocketmq:8081: connection refused", t.StoredSource().Status!.Condition("Ready")!.Message);
                Assert.Equal([TimeSpan.FromSeconds(5)], t.Requeues);
            },
        },
        new Row("a conflict on the status write re-reads the source from the API server and writes again")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(); }),
            Failures = FirstOnly("PUT", "/status", 409),
            WantRequests = [.. FirstSinkRead, "POST deployments", "PUT rocketmqsources/status", "GET rocketmqsources", "PUT rocketmqsources/status", "POST events"],
            WantConditions = ["Ready Unknown DeploymentProgressing", "Deployed Unknown DeploymentProgressing", RocketMqRouted, SinkResolved, OidcOff],
            WantEvents = ["Normal DeploymentCreated"],
        },
        new Row("a conflict on the Deployment update re-reads it and updates again")
        {
            Given = Seed(t => { t.SeedBroker(); t.SeedSource(s => s.Topic = "refunds"); t.SeedAdapterDeployment(s => s.Topic = "orders", Available); }),
            Failures = FirstOnly("PUT", "/deployments/", 409),
            WantRequests = [.. FirstSinkRead, "GET deployments", "PUT deployments", "GET deployments", "PUT deployments", "PUT rocketmqsources/status", "POST events"],
            WantEvents = ["Normal DeploymentUpdated"],
            Then = t => Assert.Equal("refunds", Fixtures.Env(t.Deployment()!, "ROCKETMQ_TOPIC")),
        },
        new Row("a deleted source is forgotten without a request")
        {
            Given = Seed(t => t.SeedBroker()),
            WantRequests = [],
        },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Reconcile(Row row) => RunAsync(row);

    internal static void WithCredentials(RocketMQSourceSpec spec) => spec.Credentials = new RocketMQCredentials
    {
        AccessKey = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "rmq-credentials", Key = "accessKey" } },
        SecretKey = new SecretValueFromSource { SecretKeyRef = new SecretKeyReference { Name = "rmq-credentials", Key = "secretKey" } },
    };

    internal static Func<ReconcileTable, Task> Seed(Action<ReconcileTable> seed) => t =>
    {
        seed(t);
        return Task.CompletedTask;
    };

    /// <summary>Fails the first request of that method whose path contains the text.</summary>
    internal static Func<Testing.Kubernetes.RecordedRequest, int?> FirstOnly(string method, string pathPart, int code)
    {
        var failed = 0;
        return r => r.Method == method && r.Path.Contains(pathPart, StringComparison.Ordinal) && Interlocked.Increment(ref failed) == 1 ? code : null;
    }
}
