using k8s;
using k8s.Autorest;
using k8s.Models;
using RocketMqSource.Kubernetes.Events;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>The event recorder writes through the official client to the API-server double.</summary>
public sealed class EventRecorderTests : IAsyncLifetime
{
    private static readonly V1ObjectReference Source = new()
    {
        ApiVersion = "sources.knative.dev/v1alpha1",
        Kind = "RocketMQSource",
        Name = "orders",
        NamespaceProperty = "shop",
        Uid = "uid-1",
    };

    private ApiServerFixture api = null!;

    public async Task InitializeAsync() => api = await ApiServerFixture.StartAsync();

    public async Task DisposeAsync() => await api.DisposeAsync();

    [Fact]
    public async Task WritesAnEventsV1EventAboutTheObject()
    {
        var recorder = new EventRecorder(api.Client, "rocketmqsource-controller", "controller-0");

        await recorder.WarningAsync(Source, "SinkNotFound", "Reconcile", "sink broker/default not found");

        var stored = Assert.Single(api.Server.List("/apis/events.k8s.io/v1/namespaces/shop/events"));
        var @event = KubernetesJson.Deserialize<Eventsv1Event>(stored.ToJsonString());
        Assert.Equal(("Warning", "SinkNotFound", "Reconcile", "sink broker/default not found"), (@event.Type, @event.Reason, @event.Action, @event.Note));
        Assert.Equal(("rocketmqsource-controller", "controller-0"), (@event.ReportingController, @event.ReportingInstance));
        Assert.Equal(("RocketMQSource", "orders", "uid-1"), (@event.Regarding!.Kind, @event.Regarding.Name, @event.Regarding.Uid));
        Assert.StartsWith("orders.", @event.Metadata!.Name, StringComparison.Ordinal);
        Assert.NotNull(@event.EventTime);
        Assert.Null(@event.Series);
    }

    [Fact]
    public async Task RepeatsAreAggregatedIntoOneSeries()
    {
        var recorder = new EventRecorder(api.Client, "ctl", "pod");

        for (var i = 0; i < 3; i++)
        {
            await recorder.NormalAsync(Source, "Deployed", "Reconcile", "adapter deployed");
        }

        await recorder.NormalAsync(Source, "Deployed", "Reconcile", "adapter updated");

        var events = api.Server.List("/apis/events.k8s.io/v1/namespaces/shop/events");
        Assert.Equal(2, events.Count);
        var repeated = Assert.Single(events, e => (string?)e["note"] == "adapter deployed");
        Assert.Equal(3, (int)repeated["series"]!["count"]!);
        Assert.Equal(2, api.Server.Requests.Count(r => r.Method == "PATCH" && r.ContentType!.StartsWith("application/merge-patch+json", StringComparison.Ordinal)));
        Assert.Equal("events.k8s.io/v1", (string?)repeated["apiVersion"]);
    }

    [Fact]
    public async Task AnExpiredAggregateStartsOverAndFailuresAreReportedNotThrown()
    {
        var errors = new List<Exception>();
        var recorder = new EventRecorder(api.Client, "ctl", "pod");
        recorder.Error += errors.Add;
        await recorder.NormalAsync(Source, "Deployed", "Reconcile", "same");
        var first = Assert.Single(api.Server.List("/apis/events.k8s.io/v1/namespaces/shop/events"));
        await api.Client.EventsV1.DeleteNamespacedEventAsync((string)first["metadata"]!["name"]!, "shop");

        await recorder.NormalAsync(Source, "Deployed", "Reconcile", "same");
        var recreated = Assert.Single(api.Server.List("/apis/events.k8s.io/v1/namespaces/shop/events"));
        Assert.Equal(2, (int)recreated["series"]!["count"]!);

        api.Server.FailureInjector = _ => 500;
        await recorder.WarningAsync(Source, "Boom", "Reconcile", "x");
        var error = Assert.IsType<HttpOperationException>(Assert.Single(errors));
        Assert.Equal(500, (int)error.Code());
    }

    [Fact]
    public void AggregatorFoldsRepeatsWithinTheWindowOnly()
    {
        var aggregator = new EventAggregator(TimeSpan.FromMinutes(6));
        var t0 = DateTimeOffset.UnixEpoch;

        var first = aggregator.Observe(Source, "Normal", "R", "A", "n", t0);
        var second = aggregator.Observe(Source, "Normal", "R", "A", "n", t0.AddMinutes(5));
        var other = aggregator.Observe(Source, "Warning", "R", "A", "n", t0.AddMinutes(5));
        var afterGap = aggregator.Observe(Source, "Normal", "R", "A", "n", t0.AddMinutes(12));

        Assert.True(first.IsNew);
        Assert.Equal((false, first.Name, 2), (second.IsNew, second.Name, second.Count));
        Assert.True(other.IsNew);
        Assert.NotEqual(first.Name, other.Name);
        Assert.True(afterGap.IsNew);
        Assert.Equal("shop", first.Namespace);
    }

    [Fact]
    public void ReferencesNameTheObjectWithItsVersion()
    {
        var deployment = new V1Deployment { ApiVersion = "apps/v1", Kind = "Deployment", Metadata = new V1ObjectMeta { Name = "d", NamespaceProperty = "n", Uid = "u", ResourceVersion = "7" } };

        var reference = EventRecorder.ReferenceTo(deployment);

        Assert.Equal(("apps/v1", "Deployment", "d", "n", "u", "7"), (reference.ApiVersion, reference.Kind, reference.Name, reference.NamespaceProperty, reference.Uid, reference.ResourceVersion));
    }
}
