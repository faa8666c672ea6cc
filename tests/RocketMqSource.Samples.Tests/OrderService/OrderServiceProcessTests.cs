using System.Diagnostics;
using System.Net;
using System.Text.Json;
using RocketMqSource.Testing;

namespace RocketMqSource.Samples.Tests.OrderService;

/// <summary>The built executable as Knative Serving runs it: port from $PORT, stop on SIGTERM.</summary>
public sealed class OrderServiceProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static Process Start(string port, string? listenAddress = null)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "FoodDelivery.OrderService"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PORT"] = port;
        if (listenAddress is not null)
        {
            info.Environment["LISTEN_ADDRESS"] = listenAddress;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("the order service did not start");
    }

    [Fact]
    public async Task It_listens_on_PORT_and_exits_cleanly_on_SIGTERM()
    {
        var port = LoopbackPort.GetFree();
        using var process = Start(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(Generous);
            var listening = JsonDocument.Parse(firstLine!).RootElement;
            Assert.Equal("order service listening", listening.GetProperty("msg").GetString());
            Assert.EndsWith($":{port}", listening.GetProperty("url").GetString(), StringComparison.Ordinal);

            using var client = new HttpClient();
            using var health = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(Generous);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task LISTEN_ADDRESS_keeps_it_on_one_address_as_the_local_run_does_with_loopback()
    {
        var port = LoopbackPort.GetFree();
        using var process = Start(port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1");
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(Generous);

            Assert.Equal($"http://127.0.0.1:{port}", JsonDocument.Parse(firstLine!).RootElement.GetProperty("url").GetString());
        }
        finally
        {
            process.Kill();
        }
    }

    [Fact]
    public async Task A_LISTEN_ADDRESS_that_is_not_an_ip_address_stops_it_with_the_reason()
    {
        using var process = Start("8080", "localhost");
        var stderr = process.StandardError.ReadToEndAsync();

        await process.WaitForExitAsync().WaitAsync(Generous);

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("order service cannot start: the listen address must be an IP address, not 'localhost'", (await stderr).Trim());
    }

    [Fact]
    public async Task A_PORT_that_is_not_a_port_number_stops_it_with_the_reason()
    {
        using var process = Start("http");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();

        await process.WaitForExitAsync().WaitAsync(Generous);

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("order service cannot start: PORT must be a TCP port number, not 'http'", (await stderr).Trim());
        Assert.Empty(await stdout);
    }
}
