using System.Net;
using System.Net.Sockets;
using RocketMqSource.Testing;

namespace RocketMqSource.CloudEvents.Tests.Interop;

/// <summary>Waits for a Node server to listen, failing early if the script already exited.</summary>
internal static class LoopbackWait
{
    public static async Task UntilListeningAsync(int port, Task<NodeResult> node, TimeSpan timeout)
    {
        await Eventually.WaitAsync(async () => node.IsCompleted || await ListeningAsync(port), $"a server on 127.0.0.1:{port}", timeout);
        if (node.IsCompleted)
        {
            (await node).EnsureSuccess();
            throw new InvalidOperationException("the node server exited before listening");
        }
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
