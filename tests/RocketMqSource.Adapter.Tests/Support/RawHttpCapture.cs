using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// An HTTP/1.1 server on loopback that keeps every request exactly as its bytes arrived (request
/// line, headers in order, body) and answers 202: what a client puts on the wire, not what a
/// server framework makes of it.
/// </summary>
internal sealed class RawHttpCapture : IDisposable
{
    private static readonly byte[] Accepted = Encoding.ASCII.GetBytes("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly BlockingCollection<byte[]> requests = [];

    public RawHttpCapture()
    {
        listener.Start();
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        _ = AcceptAsync();
    }

    public Uri Uri { get; }

    /// <summary>The next request received, as its raw bytes.</summary>
    public byte[] Next() =>
        requests.TryTake(out var request, TimeSpan.FromSeconds(30)) ? request : throw new TimeoutException("no request reached the capture");

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stopping.Token);
                _ = ServeAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                var headerEnd = IndexOfHeaderEnd(buffer);
                while (headerEnd < 0)
                {
                    var read = await stream.ReadAsync(chunk, stopping.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, read));
                    headerEnd = IndexOfHeaderEnd(buffer);
                }

                var total = headerEnd + ContentLength(Encoding.ASCII.GetString([.. buffer.Take(headerEnd)]));
                while (buffer.Count < total)
                {
                    var read = await stream.ReadAsync(chunk, stopping.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, read));
                }

                requests.Add([.. buffer.Take(total)]);
                buffer.RemoveRange(0, total);
                await stream.WriteAsync(Accepted, stopping.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>The index just past the blank line ending the headers, or -1.</summary>
    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (var i = 3; i < buffer.Count; i++)
        {
            if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n')
            {
                return i + 1;
            }
        }

        return -1;
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan("Content-Length:".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
