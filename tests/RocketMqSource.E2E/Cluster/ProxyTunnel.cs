using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Models;

namespace RocketMqSource.E2E.Cluster;

/// <summary>
/// `kubectl port-forward svc/NAME PORT` through the official client: a loopback listener whose
/// every connection is one port-forward WebSocket (v4.channel.k8s.io) to a ready pod behind the
/// Service. The RocketMQ proxy answers a route query with the address the client asked (apache/rocketmq
/// proxy/.../grpc/v2/route/RouteActivity.java queryRoute), so a producer on this machine keeps using the tunnel.
/// </summary>
internal sealed class ProxyTunnel : IAsyncDisposable
{
    private readonly IKubernetes client;
    private readonly string ns;
    private readonly string pod;
    private readonly int podPort;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;

    private ProxyTunnel(IKubernetes client, string ns, string pod, int podPort)
    {
        this.client = client;
        this.ns = ns;
        this.pod = pod;
        this.podPort = podPort;
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary>host:port on this machine that reaches the Service's pod.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>Forwards to a running, ready pod the Service selects, on the container port behind <paramref name="servicePort"/>.</summary>
    public static async Task<ProxyTunnel> OpenAsync(IKubernetes client, string ns, string service, int servicePort, CancellationToken cancellationToken)
    {
        var svc = await client.CoreV1.ReadNamespacedServiceAsync(service, ns, cancellationToken: cancellationToken);
        var selector = string.Join(',', svc.Spec.Selector.Select(kv => $"{kv.Key}={kv.Value}"));
        var port = svc.Spec.Ports.Single(p => p.Port == servicePort);
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: cancellationToken);
        var ready = pods.Items.FirstOrDefault(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            ?? throw new InvalidOperationException($"no ready pod behind service {ns}/{service} ({selector})");
        return new ProxyTunnel(client, ns, ready.Metadata.Name, ContainerPort(ready, port.TargetPort?.Value ?? servicePort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>A Service's targetPort is a number or the name of a container port.</summary>
    private static int ContainerPort(V1Pod pod, string targetPort) =>
        int.TryParse(targetPort, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : pod.Spec.Containers.SelectMany(c => c.Ports ?? []).Single(p => p.Name == targetPort).ContainerPort;

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ForwardAsync(socket).ContinueWith(t => Console.Error.WriteLine($"port-forward to {ns}/{pod}:{podPort} ended: {t.Exception?.GetBaseException().Message}"), TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    private async Task ForwardAsync(Socket socket)
    {
        using var _ = socket;
        using var webSocket = await client.WebSocketNamespacedPodPortForwardAsync(pod, ns, [podPort], "v4.channel.k8s.io", cancellationToken: stopping.Token);
        using var demuxer = new StreamDemuxer(webSocket, StreamType.PortForward);
        demuxer.Start();
        // Channel 0 carries the data of the first (only) port; 1 would carry its errors.
        await using var remote = demuxer.GetStream((byte?)0, (byte?)0);
        await using var local = new NetworkStream(socket, ownsSocket: false);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        var up = local.CopyToAsync(remote, either.Token);
        var down = remote.CopyToAsync(local, either.Token);
        await Task.WhenAny(up, down);
        await either.CancelAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        stopping.Dispose();
    }
}
