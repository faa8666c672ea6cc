using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RocketMqSource.Emulator.Grpc;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Transport;
using RocketMqSource.Testing;

namespace RocketMqSource.Emulator.Tests.Interop;

/// <summary>The gRPC-over-HTTP/2 surface (h2c, framing, trailers), /stats and the command line.</summary>
public class GrpcTransportTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly HttpClient Http = new();

    private async Task<HttpResponseMessage> CallAsync(string method, byte[] body, string? clientId = "transport-test")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"http://{fixture.Emulator.Endpoint}{GrpcDispatcher.ServicePrefix}{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (clientId is not null)
        {
            request.Headers.Add("x-mq-client-id", clientId);
        }

        var response = await Http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static string Trailer(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var values) ? values.Single() : "<none>";

    [Fact]
    public async Task Unary_call_round_trips_a_framed_message_with_ok_trailers()
    {
        var response = await CallAsync("QueryRoute", GrpcFraming.ToFrame(new QueryRouteRequest { Topic = new Resource { Name = "transport-topic" } }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(2, 0), response.Version);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0", Trailer(response, "grpc-status"));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(0, bytes[0]);
        var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1));
        var route = QueryRouteResponse.Parser.ParseFrom(bytes, GrpcFraming.HeaderLength, length);
        Assert.Equal(Code.Ok, route.Status.Code);
        Assert.Equal(fixture.Emulator.Port, route.MessageQueues[0].Broker.Endpoints.Addresses[0].Port);
    }

    [Fact]
    public async Task Unknown_method_ends_with_unimplemented()
    {
        var response = await CallAsync("PullMessage", GrpcFraming.ToFrame(new QueryRouteRequest()));

        Assert.Equal("12", Trailer(response, "grpc-status"));
    }

    [Fact]
    public async Task Missing_client_id_is_an_in_band_status()
    {
        var response = await CallAsync("QueryRoute", GrpcFraming.ToFrame(new QueryRouteRequest { Topic = new Resource { Name = "t" } }), clientId: null);

        var bytes = await response.Content.ReadAsByteArrayAsync();
        var route = QueryRouteResponse.Parser.ParseFrom(bytes, GrpcFraming.HeaderLength, bytes.Length - GrpcFraming.HeaderLength);
        Assert.Equal("0", Trailer(response, "grpc-status"));
        Assert.Equal(Code.ClientIdRequired, route.Status.Code);
    }

    [Theory]
    [InlineData("1500m", 1500)]
    [InlineData("3S", 3000)]
    [InlineData("2M", 120000)]
    [InlineData("1H", 3600000)]
    [InlineData("250000u", 250)]
    [InlineData("x", -1)]
    [InlineData("", -1)]
    public void Grpc_timeout_header_is_parsed(string value, int expectedMs) =>
        Assert.Equal(expectedMs < 0 ? null : TimeSpan.FromMilliseconds(expectedMs), GrpcMetadata.ParseTimeout(value));

    [Fact]
    public async Task Stats_endpoint_reports_topics_and_groups_as_json()
    {
        await CallAsync("QueryRoute", GrpcFraming.ToFrame(new QueryRouteRequest { Topic = new Resource { Name = "stats-topic" } }));
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{fixture.Emulator.Endpoint}/stats")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await Http.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Contains(json.RootElement.GetProperty("topics").EnumerateArray(), topic => topic.GetProperty("topic").GetString() == "stats-topic");
        Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("groups").ValueKind);
    }

    [Fact]
    public async Task Command_line_prints_listening_with_a_not_for_production_note_and_stops_on_sigterm()
    {
        var port = LoopbackPort.GetFree();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(RocketMqEmulator).Assembly.Location);
        foreach (var arg in new[] { "--listen", $"127.0.0.1:{port}", "--queues", "4", "--fifo-topic", "cli-fifo" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Contains("listening", line);
            Assert.Contains($"127.0.0.1:{port}", line);
            Assert.Contains("not for production", line);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
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
}
