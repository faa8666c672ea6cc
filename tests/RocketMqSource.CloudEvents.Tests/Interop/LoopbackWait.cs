using System.Net;
using System.Net.Sockets;
using RocketMqSource.Testing;

namespace RocketMqSource.CloudEvents.Tests.Interop;

/// <summary>Waits for a Node server to listen, failing early if the script already exited.</summary>
internal static class LoopbackWait
{
    public static async Task UntilListeningAsync(int port, Task<NodeResult> node, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (node.IsCompleted)
            {
                (await node).EnsureSuccess();
                throw new InvalidOperationException("the node server exited before listening");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nothing listened on 127.0.0.1:{port} within {timeout}");
    }
}
