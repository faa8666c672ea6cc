using k8s;
using k8s.Models;
using RocketMqSource.Kubernetes;
using RocketMqSource.Kubernetes.Informers;

namespace RocketMqSource.Controller.Hosting;

/// <summary>
/// Watches named ConfigMaps in one namespace (Knative's config-features in the eventing namespace;
/// config-observability and config-logging in the controller's) and reports each one's data when
/// it appears, changes or goes away (null data). Each map is its own list/watch with a
/// metadata.name field selector, so RBAC can grant list/watch by
/// resourceNames (k8s.io/apiserver pkg/endpoints/request/requestinfo.go takes the name of a
/// list/watch from that selector).
/// </summary>
internal sealed class KnativeConfigMaps(IKubernetes client, string @namespace)
{
    private static readonly ResourceType ConfigMaps = new("", "v1", "configmaps");
    private readonly List<Informer<V1ConfigMap>> informers = [];

    /// <summary>(name, data); data is null when the ConfigMap was deleted.</summary>
    public event Action<string, IDictionary<string, string>?>? Changed;

    public event Action<Exception>? Error;

    public void Watch(string name)
    {
        var informer = new Informer<V1ConfigMap>(client, ConfigMaps, @namespace, new InformerOptions { FieldSelector = "metadata.name=" + name, RetryDelay = TimeSpan.FromSeconds(5) });
        informer.Added += map => Changed?.Invoke(name, map.Data ?? new Dictionary<string, string>());
        informer.Updated += (_, map) => Changed?.Invoke(name, map.Data ?? new Dictionary<string, string>());
        informer.Deleted += _ => Changed?.Invoke(name, null);
        informer.Error += e => Error?.Invoke(e);
        informers.Add(informer);
    }

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(informers.Select(i => i.RunAsync(cancellationToken)));

    /// <summary>Every watched map has been listed once (present or not).</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.WhenAll(informers.Select(i => i.WaitForSyncAsync(cancellationToken)));
}
