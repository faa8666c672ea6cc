using System.Collections.Concurrent;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace RocketMqSource.E2E.Cluster;

/// <summary>
/// Follows the log of every order-service pod from its first line while the pod lives, and keeps
/// the ids of the orders the service accepted. Knative deletes idle pods (scale to zero), and
/// their logs with them, so the pods are followed as they appear rather than read at the end.
/// </summary>
internal sealed class OrderServiceLog : IAsyncDisposable
{
    /// <summary>The message of the service's line for an accepted order (samples/food-delivery/OrderService/Logging/OrderLogLine.cs Accepted).</summary>
    private const string AcceptedMessage = "order accepted";

    private readonly IKubernetes client;
    private readonly string ns;
    private readonly string labelSelector;
    private readonly string container;
    private readonly ConcurrentDictionary<string, byte> accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> followed = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task discovering;

    public OrderServiceLog(IKubernetes client, string ns, string labelSelector, string container)
    {
        this.client = client;
        this.ns = ns;
        this.labelSelector = labelSelector;
        this.container = container;
        discovering = DiscoverAsync();
    }

    public IReadOnlyCollection<string> AcceptedOrderIds => accepted.Keys.ToList();

    public int PodsFollowed => followed.Count;

    private async Task DiscoverAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, cancellationToken: stopping.Token);
                foreach (var pod in pods.Items.Where(HasStarted))
                {
                    var name = pod.Metadata.Name;
                    if (!followed.TryGetValue(name, out var following) || following.IsFaulted)
                    {
                        followed[name] = FollowAsync(name);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stopping.Token));
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>The log can be read once the container has run (a waiting container answers 400).</summary>
    private bool HasStarted(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.Any(s => s.Name == container && (s.State?.Running is not null || s.State?.Terminated is not null)) == true;

    private async Task FollowAsync(string pod)
    {
        try
        {
            await using var log = await client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, follow: true, cancellationToken: stopping.Token);
            using var reader = new StreamReader(log);
            while (await reader.ReadLineAsync(stopping.Token) is { } line)
            {
                if (AcceptedOrderId(line) is { } orderId)
                {
                    accepted.TryAdd(orderId, 0);
                }
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The pod went before its log could be opened; only a pod that served nothing goes that fast.
        }
    }

    /// <summary>The order id of an "order accepted" JSON line, or null for any other line.</summary>
    internal static string? AcceptedOrderId(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return root.TryGetProperty("msg", out var msg) && msg.ValueEquals(AcceptedMessage) && root.TryGetProperty("orderId", out var id)
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await discovering;
        foreach (var following in followed.Values)
        {
            try
            {
                await following;
            }
            catch (Exception e) when (e is OperationCanceledException or HttpOperationException or IOException)
            {
                // Stopped while following, or a follow that failed and was opened again while the pod lived.
            }
        }

        stopping.Dispose();
    }
}
