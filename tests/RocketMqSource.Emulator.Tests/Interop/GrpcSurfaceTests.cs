using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using RocketMqSource.Emulator.Hosting;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Signing;
using RocketMqSource.Testing;

namespace RocketMqSource.Emulator.Tests.Interop;

/// <summary>
/// The emulator's gRPC surface as a Grpc.Net.Client sees it (metadata in, deadlines honoured,
/// in-band statuses, gRPC errors only where the proxy raises them), /stats and the command line.
/// </summary>
public sealed class GrpcSurfaceTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private static readonly HttpClient Http = new();

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress($"http://{fixture.Emulator.Endpoint}");

    private MessagingService.MessagingServiceClient Client => new(_channel);

    public void Dispose() => _channel.Dispose();

    private static Metadata ClientId(string clientId) => [new Metadata.Entry(RequestMetadata.ClientId, clientId)];

    /// <summary>The settings handshake a consumer does before it may receive.</summary>
    private async Task RegisterConsumerAsync(string clientId, string group)
    {
        using var telemetry = Client.Telemetry(ClientId(clientId));
        await telemetry.RequestStream.WriteAsync(new TelemetryCommand
        {
            Settings = new Settings { ClientType = ClientType.SimpleConsumer, Subscription = new Subscription { Group = new Resource { Name = group } } },
        });
        Assert.True(await telemetry.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(Code.Ok, telemetry.ResponseStream.Current.Status.Code);
        await telemetry.RequestStream.CompleteAsync();
    }

    private static ReceiveMessageRequest Receive(string topic, string group, TimeSpan longPolling) => new()
    {
        Group = new Resource { Name = group },
        MessageQueue = new MessageQueue { Topic = new Resource { Name = topic } },
        BatchSize = 1,
        InvisibleDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)),
        LongPollingTimeout = Duration.FromTimeSpan(longPolling),
    };

    private static async Task<List<ReceiveMessageResponse>> ReadAllAsync(AsyncServerStreamingCall<ReceiveMessageResponse> call)
    {
        var responses = new List<ReceiveMessageResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            responses.Add(call.ResponseStream.Current);
        }

        return responses;
    }

    [Fact]
    public async Task A_unary_call_answers_with_an_in_band_ok_and_the_emulators_own_address()
    {
        var route = await Client.QueryRouteAsync(new QueryRouteRequest { Topic = new Resource { Name = "surface-topic" } }, ClientId("surface"));

        Assert.Equal(Code.Ok, route.Status.Code);
        Assert.Equal(fixture.Emulator.Port, route.MessageQueues[0].Broker.Endpoints.Addresses[0].Port);
    }

    [Fact]
    public async Task A_missing_client_id_is_an_in_band_status_not_a_grpc_error()
    {
        var route = await Client.QueryRouteAsync(new QueryRouteRequest { Topic = new Resource { Name = "t" } });

        Assert.Equal(Code.ClientIdRequired, route.Status.Code);
    }

    [Fact]
    public async Task A_method_the_proxy_does_not_serve_ends_with_unimplemented()
    {
        var marshaller = Marshallers.Create(static (QueryRouteRequest m) => m.ToByteArray(), QueryRouteRequest.Parser.ParseFrom);
        var pull = new Method<QueryRouteRequest, QueryRouteRequest>(MethodType.Unary, "apache.rocketmq.v2.MessagingService", "PullMessage", marshaller, marshaller);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _channel.CreateCallInvoker().AsyncUnaryCall(pull, null, new CallOptions(ClientId("surface")), new QueryRouteRequest()));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task The_call_deadline_reaches_the_proxy_and_bounds_the_long_poll()
    {
        await RegisterConsumerAsync("deadline-client", "deadline-group");
        await Client.QueryRouteAsync(new QueryRouteRequest { Topic = new Resource { Name = "deadline-topic" } }, ClientId("deadline-client"));
        var watch = Stopwatch.StartNew();

        // 20 s of polling asked for, 2 s of deadline given: the proxy ends the poll in time, in band.
        var cut = await ReadAllAsync(Client.ReceiveMessage(Receive("deadline-topic", "deadline-group", TimeSpan.FromSeconds(20)),
            new CallOptions(ClientId("deadline-client"), DateTime.UtcNow.AddSeconds(2))));
        var elapsed = watch.Elapsed;
        // Less than the emulator's 1 s minimum polling time left: refused as the proxy does.
        var tooShort = await ReadAllAsync(Client.ReceiveMessage(Receive("deadline-topic", "deadline-group", TimeSpan.FromSeconds(20)),
            new CallOptions(ClientId("deadline-client"), DateTime.UtcNow.AddMilliseconds(900))));

        Assert.Equal(Code.MessageNotFound, cut[0].Status.Code);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Equal(Code.IllegalPollingTime, tooShort[0].Status.Code);
    }

    [Fact]
    public async Task An_unsigned_telemetry_stream_to_an_emulator_with_credentials_is_refused_as_unauthenticated()
    {
        await using var secured = await RocketMqEmulator.StartAsync(new RocketMqEmulatorOptions { Listen = "127.0.0.1:0", AccessKey = "AK", SecretKey = "SK" });
        using var channel = GrpcChannel.ForAddress($"http://{secured.Endpoint}");
        using var telemetry = new MessagingService.MessagingServiceClient(channel).Telemetry(ClientId("unsigned"));

        var error = await Assert.ThrowsAsync<RpcException>(() => telemetry.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("UNAUTHORIZED", error.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Stats_endpoint_reports_topics_and_groups_as_json()
    {
        await Client.QueryRouteAsync(new QueryRouteRequest { Topic = new Resource { Name = "stats-topic" } }, ClientId("surface"));
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
