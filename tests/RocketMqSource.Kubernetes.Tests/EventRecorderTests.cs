using System.Text.Json;
using System.Text.Json.Nodes;
using RocketMqSource.Kubernetes.Events;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes.Tests;

public sealed class EventRecorderTests : IAsyncLifetime
{
    private static readonly V1ObjectReference Source = new()
    {
        ApiVersion = "sources.knative.dev/v1alpha1",
        Kind = "RocketMQSource",
        Name = "orders",
        Namespace = "shop",
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
        var @event = stored.Deserialize(Serialization.KubernetesJsonContext.Default.EventsV1Event)!;
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
    }

    [Fact]
    public async Task AnExpiredAggregateStartsOverAndFailuresAreReportedNotThrown()
    {
        var errors = new List<Exception>();
        var recorder = new EventRecorder(api.Client, "ctl", "pod");
        recorder.Error += errors.Add;
        await recorder.NormalAsync(Source, "Deployed", "Reconcile", "same");
        var first = Assert.Single(api.Server.List("/apis/events.k8s.io/v1/namespaces/shop/events"));
        await api.Client.DeleteAsync(ResourceType.Events, (string)first["metadata"]!["name"]!, "shop");

        await recorder.NormalAsync(Source, "Deployed", "Reconcile", "same");
        var recreated = Assert.Single(api.Server.List("/apis/events.k8s.io/v1/namespaces/shop/events"));
        Assert.Equal(2, (int)recreated["series"]!["count"]!);

        api.Server.FailureInjector = _ => 500;
        await recorder.WarningAsync(Source, "Boom", "Reconcile", "x");
        var error = Assert.IsType<KubernetesApiException>(Assert.Single(errors));
        Assert.Equal(500, (int)error.StatusCode);
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
    public void ReferencesComeFromTypedAndUntypedObjects()
    {
        var deployment = new V1Deployment { Metadata = new V1ObjectMeta { Name = "d", Namespace = "n", Uid = "u" } };
        Assert.Equal(("apps/v1", "Deployment", "d", "u"), (EventRecorder.ReferenceTo(deployment).ApiVersion, EventRecorder.ReferenceTo(deployment).Kind, EventRecorder.ReferenceTo(deployment).Name, EventRecorder.ReferenceTo(deployment).Uid));

        var custom = JsonNode.Parse("""{"apiVersion":"sources.knative.dev/v1alpha1","kind":"RocketMQSource","metadata":{"name":"o","namespace":"n","uid":"u2"}}""")!.AsObject();
        var reference = EventRecorder.ReferenceTo(custom);
        Assert.Equal(("RocketMQSource", "o", "n", "u2"), (reference.Kind, reference.Name, reference.Namespace, reference.Uid));
    }
}
