using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using RocketMqSource.RocketMq.Tests.Support;
using RocketMqSource.RocketMq.Transport;
using RocketMqSource.Testing;

namespace RocketMqSource.RocketMq.Tests.Transport;

public sealed class GrpcChannelTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private static CallOptions Options(TimeSpan? timeout = null, CancellationToken token = default,
        params KeyValuePair<string, string>[] metadata) => new(metadata, timeout, token);

    private static async Task<StringValue> ReadRequestAsync(HttpContext context) =>
        await GrpcFraming.ReadAsync(context.Request.Body, StringValue.Parser) ?? throw new InvalidOperationException("no request");

    [Fact]
    public async Task Unary_call_returns_the_response_and_sends_metadata_and_deadline()
    {
        string? seenMetadata = null, seenTimeout = null, seenTe = null, seenContentType = null;
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            ["/test.Echo/Unary"] = async context =>
            {
                seenMetadata = context.Request.Headers["x-mq-client-id"];
                seenTimeout = context.Request.Headers["grpc-timeout"];
                seenTe = context.Request.Headers.TE;
                seenContentType = context.Request.ContentType;
                var request = await ReadRequestAsync(context);
                await TestGrpcServer.StartResponseAsync(context);
                await TestGrpcServer.WriteMessageAsync(context, new StringValue { Value = "echo:" + request.Value });
                TestGrpcServer.SetStatus(context, 0);
            },
        });
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());

        var response = await channel.UnaryAsync<StringValue, StringValue>(
            "test.Echo/Unary",
            new StringValue { Value = "hello" },
            Options(TimeSpan.FromSeconds(3), default, new KeyValuePair<string, string>("x-mq-client-id", "c1")));

        Assert.Equal("echo:hello", response.Value);
        Assert.Equal("c1", seenMetadata);
        Assert.Equal("trailers", seenTe);
        Assert.Equal("application/grpc", seenContentType);
        Assert.NotNull(seenTimeout);
        Assert.Matches("^[0-9]{1,8}[numSMH]$", seenTimeout);
    }

    [Fact]
    public async Task Error_status_in_trailers_becomes_RpcException_with_decoded_message()
    {
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            ["/test.Echo/Unary"] = async context =>
            {
                await ReadRequestAsync(context);
                await TestGrpcServer.StartResponseAsync(context);
                TestGrpcServer.SetStatus(context, (int)GrpcStatusCode.NotFound, "no such thing: 100%");
            },
        });
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync<StringValue, StringValue>("test.Echo/Unary", new StringValue(), Options(Generous)));

        Assert.Equal(GrpcStatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such thing: 100%", error.Detail);
    }

    [Fact]
    public async Task Trailers_only_response_reports_the_status_from_the_headers()
    {
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            ["/test.Echo/Unary"] = TestGrpcServer.TrailersOnly(7, "denied"),
        });
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync<StringValue, StringValue>("test.Echo/Unary", new StringValue(), Options(Generous)));

        Assert.Equal(GrpcStatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("denied", error.Detail);
    }

    [Fact]
    public async Task Unknown_path_without_grpc_status_maps_http_404_to_unimplemented()
    {
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>());
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync<StringValue, StringValue>("test.Echo/Missing", new StringValue(), Options(Generous)));

        Assert.Equal(GrpcStatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task Server_streaming_reads_every_message_then_ends_on_ok()
    {
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            ["/test.Echo/Stream"] = async context =>
            {
                var request = await ReadRequestAsync(context);
                await TestGrpcServer.StartResponseAsync(context);
                for (var i = 1; i <= 3; i++)
                {
                    await TestGrpcServer.WriteMessageAsync(context, new StringValue { Value = $"{request.Value}-{i}" });
                }

                TestGrpcServer.SetStatus(context, 0);
            },
        });
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());

        using var call = channel.ServerStreaming<StringValue, StringValue>("test.Echo/Stream", new StringValue { Value = "m" }, Options(Generous));
        var received = new List<string>();
        while (await call.ReadAsync() is { } message)
        {
            received.Add(message.Value);
        }

        Assert.Equal(["m-1", "m-2", "m-3"], received);
        Assert.Null(await call.ReadAsync());
    }

    [Fact]
    public async Task Server_streaming_surfaces_an_error_status_after_messages()
    {
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            ["/test.Echo/Stream"] = async context =>
            {
                await ReadRequestAsync(context);
                await TestGrpcServer.StartResponseAsync(context);
                await TestGrpcServer.WriteMessageAsync(context, new StringValue { Value = "first" });
                TestGrpcServer.SetStatus(context, (int)GrpcStatusCode.Internal, "broke");
            },
        });
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());

        using var call = channel.ServerStreaming<StringValue, StringValue>("test.Echo/Stream", new StringValue(), Options(Generous));
        Assert.Equal("first", (await call.ReadAsync())!.Value);
        var error = await Assert.ThrowsAsync<RpcException>(call.ReadAsync);
        Assert.Equal(GrpcStatusCode.Internal, error.StatusCode);
        Assert.Equal("broke", error.Detail);
    }

    [Fact]
    public async Task Bidirectional_call_interleaves_writes_and_reads_on_one_stream()
    {
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            ["/test.Echo/Chat"] = async context =>
            {
                await TestGrpcServer.StartResponseAsync(context);
                while (await GrpcFraming.ReadAsync(context.Request.Body, StringValue.Parser) is { } request)
                {
                    await TestGrpcServer.WriteMessageAsync(context, new StringValue { Value = "re:" + request.Value });
                }

                await TestGrpcServer.WriteMessageAsync(context, new StringValue { Value = "bye" });
                TestGrpcServer.SetStatus(context, 0);
            },
        });
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());

        using var call = channel.Duplex<StringValue, StringValue>("test.Echo/Chat", Options());
        await call.WriteAsync(new StringValue { Value = "one" });
        Assert.Equal("re:one", (await call.ReadAsync().WaitAsync(Generous))!.Value);
        await call.WriteAsync(new StringValue { Value = "two" });
        Assert.Equal("re:two", (await call.ReadAsync().WaitAsync(Generous))!.Value);
        await call.CompleteRequestAsync();
        Assert.Equal("bye", (await call.ReadAsync().WaitAsync(Generous))!.Value);
        Assert.Null(await call.ReadAsync().WaitAsync(Generous));
    }

    [Fact]
    public async Task Bidirectional_call_refused_with_trailers_only_surfaces_the_status()
    {
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            ["/test.Echo/Chat"] = TestGrpcServer.TrailersOnly(16, "bad signature"),
        });
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());

        using var call = channel.Duplex<StringValue, StringValue>("test.Echo/Chat", Options());
        try
        {
            await call.WriteAsync(new StringValue { Value = "settings" });
        }
        catch (RpcException)
        {
            // The write may already see the refusal; the read must report it either way.
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ReadAsync().WaitAsync(Generous));
        Assert.Equal(GrpcStatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("bad signature", error.Detail);
    }

    [Fact]
    public async Task Slow_server_hits_the_deadline_and_sees_the_call_aborted()
    {
        var serverAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            ["/test.Echo/Unary"] = async context =>
            {
                await ReadRequestAsync(context);
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    serverAborted.TrySetResult();
                }
            },
        });
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync<StringValue, StringValue>("test.Echo/Unary", new StringValue(), Options(TimeSpan.FromMilliseconds(300))));

        Assert.Equal(GrpcStatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(error.IsDeadlineExceeded);
        await serverAborted.Task.WaitAsync(Generous);
    }

    [Fact]
    public async Task Caller_cancellation_ends_the_call_as_cancelled()
    {
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            ["/test.Echo/Stream"] = async context =>
            {
                await ReadRequestAsync(context);
                await TestGrpcServer.StartResponseAsync(context);
                requestArrived.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            },
        });
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());
        using var cancellation = new CancellationTokenSource();

        using var call = channel.ServerStreaming<StringValue, StringValue>(
            "test.Echo/Stream", new StringValue(), Options(Generous, cancellation.Token));
        var read = call.ReadAsync();
        await requestArrived.Task.WaitAsync(Generous);
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => read);
        Assert.Equal(GrpcStatusCode.Cancelled, error.StatusCode);
        Assert.True(error.IsCancelled);
    }

    [Fact]
    public async Task Connection_refused_is_unavailable()
    {
        using var channel = new GrpcChannel("127.0.0.1", LoopbackPort.GetFree(), new GrpcChannelOptions());

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync<StringValue, StringValue>("test.Echo/Unary", new StringValue(), Options(Generous)));

        Assert.Equal(GrpcStatusCode.Unavailable, error.StatusCode);
        Assert.True(error.IsUnavailable);
    }

    [Fact]
    public async Task Sequential_and_concurrent_calls_share_one_connection()
    {
        await using var server = await TestGrpcServer.StartAsync(new Dictionary<string, RequestDelegate>
        {
            ["/test.Echo/Unary"] = async context =>
            {
                var request = await ReadRequestAsync(context);
                await TestGrpcServer.StartResponseAsync(context);
                await TestGrpcServer.WriteMessageAsync(context, request);
                TestGrpcServer.SetStatus(context, 0);
            },
        });
        using var channel = new GrpcChannel("127.0.0.1", server.Port, new GrpcChannelOptions());
        Task<StringValue> Call(int i) => channel.UnaryAsync<StringValue, StringValue>(
            "test.Echo/Unary", new StringValue { Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Options(Generous));

        Assert.Equal("0", (await Call(0)).Value);
        for (var i = 1; i < 5; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (await Call(i)).Value);
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(5, 20).Select(Call));

        Assert.Equal(20, concurrent.Select(r => r.Value).Distinct().Count());
        Assert.Equal(1, server.ConnectionCount);
    }
}
