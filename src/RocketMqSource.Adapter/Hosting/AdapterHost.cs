using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Operations;
using RocketMqSource.Logging;

namespace RocketMqSource.Adapter.Hosting;

/// <summary>
/// Builds the adapter's host: Kestrel for probes and metrics, OpenTelemetry, JSON logs, and the consumer service
/// over the RocketMQ SimpleConsumer. The services are ordinary registrations: whoever builds the
/// host may register another <see cref="IMessageSource"/> or <see cref="TimeProvider"/> before <see cref="Build"/>.
/// </summary>
internal static class AdapterHost
{
    /// <summary>Time the host gives the consumer beyond SHUTDOWN_GRACE_PERIOD to finish its acks and close.</summary>
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(5);

    /// <param name="options">The parsed environment.</param>
    /// <param name="connection">The RocketMQ connection, when the caller began opening it before building the host.</param>
    /// <param name="signals">The process's shutdown signals, when the caller listens for them (else the console lifetime does).</param>
    public static WebApplicationBuilder CreateBuilder(AdapterOptions options, RocketMqConnection? connection = null, ShutdownSignals? signals = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureLogging(builder.Logging, options.Operations);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Operations.ShutdownGracePeriod + StopMargin);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Any, options.Operations.HealthPort);
            if (options.Operations.Observability.MetricsProtocol == MetricsProtocol.Prometheus)
            {
                kestrel.Listen(IPAddress.Any, options.Operations.MetricsPort);
            }
        });

        builder.Services.AddSingleton(options);
        if (signals is not null)
        {
            builder.Services.AddSingleton<IHostLifetime>(signals);
        }

        TelemetryExport.Add(builder.Services, options);
        builder.Services.AddSingleton(_ => TerminationMessage.FromEnvironment(Environment.GetEnvironmentVariable));
        builder.Services.AddSingleton(services => new ReadinessState(services.GetRequiredService<TerminationMessage>()));
        builder.Services.AddSingleton(TimeProvider.System);
        // Factories with closed types throughout: the AOT build resolves them without building
        // generic types at run time (ILogger<T> resolved as an open generic would be).
        builder.Services.AddSingleton<IMessageSource>(services => new SimpleConsumerSource(
            connection ?? new RocketMqConnection(options.RocketMq), services.GetRequiredService<ILoggerFactory>().CreateLogger<SimpleConsumerSource>()));
        builder.Services.AddSingleton(_ => SinkHttpClientFactory.Create(options.Sink, options.RocketMq.MaxInFlight));
        builder.Services.AddSingleton(services => ConsumerPipeline.Create(
            options,
            ConsumeOptions.From(options),
            services.GetRequiredService<IMessageSource>(),
            services.GetRequiredService<HttpClient>(),
            services.GetRequiredService<AdapterTelemetry>(),
            services.GetRequiredService<ReadinessState>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IHostedService>(services => new ConsumerService(
            services.GetRequiredService<ConsumeLoop>(),
            services.GetRequiredService<IMessageSource>(),
            services.GetRequiredService<ReadinessState>(),
            options,
            services.GetRequiredService<TerminationMessage>(),
            services.GetRequiredService<IHostApplicationLifetime>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<ConsumerService>()));
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        var options = app.Services.GetRequiredService<AdapterOptions>().Operations;
        var readiness = app.Services.GetRequiredService<ReadinessState>();
        app.Lifetime.ApplicationStopping.Register(readiness.StopRequested);
        OperationsEndpoints.Map(app, options.HealthPort, readiness);
        TelemetryExport.MapScrapeEndpoint(app, options);
        return app;
    }

    /// <summary>Knative's zap lines with the pod and the source (knative.dev/key) on each, at config-logging's level.</summary>
    public static void ConfigureLogging(ILoggingBuilder logging, OperationsOptions operations)
    {
        var level = operations.LogLevel;
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        // Framework chatter (request logs, hosting lifetime) stays at warning unless debugging.
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
        logging.AddFilter("System.Net.Http", level <= LogLevel.Debug ? level : LogLevel.Warning);
        logging.AddZapJsonConsole(KnativeLogKeys.Of(
            (KnativeLogKeys.Pod, operations.PodName),
            (KnativeLogKeys.Key, operations.Namespace is { } ns && operations.Name is { } name ? $"{ns}/{name}" : null)));
    }
}
