using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RocketMqSource.Emulator.Broker;
using RocketMqSource.RocketMq.Internal;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Hosting;

/// <summary>
/// An in-memory RocketMQ 5 proxy (apache.rocketmq.v2 gRPC over plaintext HTTP/2, on Grpc.AspNetCore) for
/// development and tests; not for production. Start one with <see cref="StartAsync"/>, point
/// clients at <see cref="Endpoint"/>, read counts with <see cref="GetGroupStats(string, string)"/>.
/// </summary>
public sealed class RocketMqEmulator : IAsyncDisposable
{
    /// <summary>The proxy's grpcMaxInboundMessageSize: 32 messages of 4 MiB plus 2 MiB of properties (apache/rocketmq ProxyConfig).</summary>
    private const int MaxReceiveMessageSize = 130 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly ProxyService _service;
    private readonly CancellationTokenSource _stopping;

    private RocketMqEmulator(WebApplication app, ProxyService service, CancellationTokenSource stopping, IPEndPoint bound)
    {
        _app = app;
        _service = service;
        _stopping = stopping;
        Port = bound.Port;
        var host = bound.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : bound.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : bound.Address;
        Host = host.ToString();
        Endpoint = host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
        var endpoints = new Endpoints { Scheme = host.AddressFamily == AddressFamily.InterNetworkV6 ? AddressScheme.Ipv6 : AddressScheme.Ipv4 };
        endpoints.Addresses.Add(new Address { Host = Host, Port = Port });
        service.SelfEndpoints = endpoints;
    }

    /// <summary>Address clients use, "host:port".</summary>
    public string Endpoint { get; }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Clients with live settings (telemetry handshake done, session not expired or terminated).</summary>
    public int ConnectedClients => _service.Sessions.Count;

    /// <summary>Heartbeats answered so far (a test can wait for the next one instead of sleeping).</summary>
    public long HeartbeatsReceived => _service.Heartbeats;

    /// <summary>ReceiveMessage calls waiting in their long poll right now, with nothing to pop.</summary>
    public int ParkedReceives => _service.ParkedReceives;

    /// <summary>Binds Kestrel (h2c) to <see cref="RocketMqEmulatorOptions.Listen"/> and starts serving.</summary>
    public static async Task<RocketMqEmulator> StartAsync(RocketMqEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RocketMqEmulatorOptions();
        var listen = ListenAddress.Parse(options.Listen);
        var broker = new EmulatedBroker(options.QueuesPerTopic, options.TimeProvider, options.FifoTopics, options.FifoGroups)
        {
            AutoCreateTopics = options.AutoCreateTopics,
            SubscriptionExpiredTimeout = options.SubscriptionExpiredTimeout,
        };
        foreach (var topic in options.Topics.Concat(options.FifoTopics))
        {
            broker.DeclareTopic(topic);
        }

        var service = new ProxyService(options, broker);

        // Cancelled on stop, so long polls and Telemetry streams end at once instead of holding the shutdown.
        var stopping = new CancellationTokenSource();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(RocketMqEmulator).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = MaxReceiveMessageSize);
        builder.Services.AddSingleton(new MessagingEndpoint(service, stopping.Token));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            // gRPC streams (Telemetry, long polls) legitimately stay silent for long stretches; Kestrel's
            // data-rate floors would otherwise abort them, and on HTTP/2 the whole connection with them.
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            // Every consumer keeps one long-poll stream per receive in flight on a shared connection.
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(listen, endpoint => endpoint.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.MapGrpcService<MessagingEndpoint>();
        app.MapGet(StatsEndpoint.Path, http => StatsEndpoint.WriteAsync(http, broker, service.Sessions.Count));
        app.MapGet(MetricsEndpoint.Path, http => MetricsEndpoint.WriteAsync(http, broker));
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => new Uri(address))
            .Select(uri => new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port))
            .First();
        return new RocketMqEmulator(app, service, stopping, bound);
    }

    /// <summary>Makes the topic FIFO: it accepts FIFO messages only and its groups pop orderly.</summary>
    public void DeclareFifoTopic(string topic) => _service.Broker.DeclareFifoTopic(topic);

    /// <summary>Configures a consumer group: orderly popping on every topic, and/or its own max delivery attempts.</summary>
    public void DeclareConsumerGroup(string group, bool fifo = false, int? maxDeliveryAttempts = null) =>
        _service.Broker.DeclareGroup(group, fifo, maxDeliveryAttempts);

    /// <summary>
    /// Stores messages as a producer's SendMessage would (same checks, ids assigned here), without the
    /// network: seeds large backlogs for benchmarks quickly. Returns the message ids in order.
    /// Unsigned, so an emulator configured with credentials refuses it (InvalidOperationException).
    /// </summary>
    public IReadOnlyList<string> Send(IReadOnlyList<RocketMq.Message> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = new SendMessageRequest();
        var now = DateTimeOffset.UtcNow;
        foreach (var message in messages)
        {
            request.Messages.Add(ProtocolConversions.ToProtocol(message, string.Empty, MessageIds.Next(now), 0, now, Host));
        }

        var response = _service.SendMessage(new CallContext(nameof(RocketMqEmulator)), request);
        if (response.Status.Code != Code.Ok)
        {
            throw new InvalidOperationException($"send refused: {response.Status.Code} {response.Status.Message}");
        }

        return response.Entries.Select(entry => entry.MessageId).ToList();
    }

    /// <summary>Backlog, in-flight and acked counts of one group on one topic.</summary>
    public ConsumerGroupStats GetGroupStats(string group, string topic) => _service.Broker.Stats(group, topic);

    /// <summary>Counts of every group that has popped from a topic.</summary>
    public IReadOnlyList<ConsumerGroupStats> GetGroupStats() => _service.Broker.AllStats();

    /// <summary>Stored and delayed counts of every topic (including %DLQ% topics).</summary>
    public IReadOnlyList<TopicStats> GetTopicStats() => _service.Broker.TopicStats();

    public async Task StopAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>The host neither hooks Ctrl-C nor SIGTERM: the owner (CLI or test) decides when to stop.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
