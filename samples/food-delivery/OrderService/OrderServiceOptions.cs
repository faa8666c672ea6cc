namespace FoodDelivery.OrderService;

/// <summary>How <see cref="OrderServiceApp.Build"/> sets the service up; every value has a default.</summary>
public sealed class OrderServiceOptions
{
    /// <summary>Address to listen on; null (the default) means every IPv4 and IPv6 interface, as Knative needs. Tests use 127.0.0.1.</summary>
    public string? ListenAddress { get; set; }

    /// <summary>Port to listen on; null means $PORT (set by Knative Serving) or 8080; 0 picks a free port.</summary>
    public int? Port { get; set; }

    /// <summary>The delivery promise: a paid order is to be delivered within this time of its charge.</summary>
    public TimeSpan PromisedWithin { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Called once per accepted order, on the request's thread; keep it quick and thread-safe.</summary>
    public Action<AcceptedOrder>? OnOrderAccepted { get; set; }

    /// <summary>Where the one-JSON-line-per-order log goes; null means standard output.</summary>
    public TextWriter? OrderLog { get; set; }

    /// <summary>The clock for receive times.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
