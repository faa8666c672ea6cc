using System.Text.Json.Serialization;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes.Tests;

/// <summary>A typed custom resource from another assembly, with its own source-generated JSON context.</summary>
public sealed class TestSource : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "sources.knative.dev/v1alpha1";

    public string? Kind { get; set; } = "RocketMQSource";

    public V1ObjectMeta? Metadata { get; set; }

    public TestSourceSpec? Spec { get; set; }

    public TestSourceStatus? Status { get; set; }
}

public sealed class TestSourceSpec
{
    public string? Topic { get; set; }
}

public sealed class TestSourceStatus
{
    public long? ObservedGeneration { get; set; }

    public IList<V1Condition>? Conditions { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TestSource))]
[JsonSerializable(typeof(KubernetesList<TestSource>))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

public sealed class CustomTypedResourceTests : IAsyncLifetime
{
    private static readonly ResourceType Sources = new("sources.knative.dev", "v1alpha1", "rocketmqsources");
    private KubernetesClient client = null!;
    private Testing.Kubernetes.KubernetesApiServerDouble server = null!;

    public async Task InitializeAsync()
    {
        server = await Testing.Kubernetes.KubernetesApiServerDouble.StartAsync();
        client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseUri.ToString() }, TestJsonContext.Default);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task TypedCustomResourceCrudStatusAndInformer()
    {
        var created = await client.CreateAsync(Sources, new TestSource { Metadata = new V1ObjectMeta { Name = "orders", Namespace = "shop" }, Spec = new TestSourceSpec { Topic = "t" } });
        created.Status = new TestSourceStatus
        {
            ObservedGeneration = created.Metadata!.Generation,
            Conditions = [new V1Condition { Type = "Ready", Status = "True", LastTransitionTime = DateTimeOffset.UtcNow }],
        };
        var withStatus = await client.ReplaceStatusAsync(Sources, created);
        Assert.Equal("True", withStatus.Status!.Conditions![0].Status);
        Assert.Equal(1, withStatus.Status.ObservedGeneration);

        using var stop = new CancellationTokenSource();
        var informer = new Informer<TestSource>(client, Sources, "shop");
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync();
        Assert.Equal("t", informer.Get("orders", "shop")!.Spec!.Topic);
        await stop.CancelAsync();
        await run;

        // Still works for the library's own types alongside the custom context.
        var lease = await client.CreateAsync(ResourceType.Leases, new V1Lease { Metadata = new V1ObjectMeta { Name = "l", Namespace = "shop" } });
        Assert.Equal("l", lease.Metadata!.Name);
    }
}
