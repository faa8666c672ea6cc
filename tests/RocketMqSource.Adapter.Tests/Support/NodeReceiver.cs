using System.Net.Sockets;
using RocketMqSource.Testing;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>Waits for a Node server script (cloudevents-receiver.mjs) to accept connections, failing at once if it exited.</summary>
internal static class NodeReceiver
{
    public static Task UntilListeningAsync(int port, Task<NodeResult> node) =>
        Eventually.WaitAsync(() =>
        {
            if (node.IsCompleted)
            {
                node.Result.EnsureSuccess();
                throw new InvalidOperationException("the node receiver exited before listening");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(System.Net.IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, "the node receiver listening", TimeSpan.FromSeconds(30));
}
