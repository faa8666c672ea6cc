using FoodDelivery.OrderProducer.Messages;
using CloudNative.CloudEvents;

namespace FoodDelivery.OrderProducer;

/// <summary>What <see cref="OrderProducerRunner.RunAsync"/> sends, where, and how fast.</summary>
public sealed class ProducerOptions
{
    /// <summary>RocketMQ proxy address(es), host:port[;host:port] (gRPC, port 8081 by default).</summary>
    public string Endpoints { get; set; } = "127.0.0.1:8081";

    public string Topic { get; set; } = "orders";

    /// <summary>RocketMQ namespace (instance id), if the cluster uses one.</summary>
    public string? Namespace { get; set; }

    public string? AccessKey { get; set; }

    /// <summary>Signs requests; never printed.</summary>
    public string? SecretKey { get; set; }

    /// <summary>TLS to the proxy (the open-source proxy serves plaintext on 8081 by default).</summary>
    public bool Tls { get; set; }

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public MessageFormat Format { get; set; } = MessageFormat.Json;

    /// <summary>Content mode of the RocketMQ binding when <see cref="Format"/> is CloudEvents.</summary>
    public ContentMode CloudEventsMode { get; set; } = ContentMode.Binary;

    /// <summary>Orders per second at the top of lunch.</summary>
    public double PeakRate { get; set; } = 20;

    /// <summary>Orders per second between meals; 0 lets the order service scale to zero.</summary>
    public double QuietRate { get; set; }

    /// <summary>The whole compressed day.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Seed of the order generator; the same seed gives the same orders.</summary>
    public int Seed { get; set; } = Random.Shared.Next();

    /// <summary>Share of orders published as CANCELLED instead of PAID.</summary>
    public double CancelRatio { get; set; } = 0.1;

    /// <summary>Sends in flight at once (a slow proxy must not slow the schedule down).</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>Start a W3C trace per order: a traceparent user property the source continues to the service.</summary>
    public bool Trace { get; set; }

    /// <summary>Stop after this many orders even if the profile expects more (null: no cap).</summary>
    public int? MaxOrders { get; set; }

    /// <summary>The clock the schedule and the timestamps follow.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
