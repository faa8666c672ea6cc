using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Hosting;

/// <summary>Builds the adapter's host: Kestrel for probes and metrics, JSON logs, and the consumer service.</summary>
internal static class AdapterHost
{
    /// <summary>Time the host gives the consumer beyond SHUTDOWN_GRACE_PERIOD to finish its acks and close.</summary>
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(5);

    /// <summary>Builds the host over the given message source and converter.</summary>
    public static WebApplication Build(AdapterOptions options, AdapterSeams seams, IPAddress? listenAddress = null, Action<ILoggingBuilder>? moreLogging = null)
    {
        var (sourceFactory, converterFactory) = seams;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureLogging(builder.Logging, options.Operations.LogLevel);
        moreLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Operations.ShutdownGracePeriod + StopMargin);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = listenAddress ?? IPAddress.Any;
            kestrel.Listen(address, options.Operations.HealthPort);
            if (options.Operations.MetricsEnabled)
            {
                kestrel.Listen(address, options.Operations.MetricsPort);
            }
        });

        var metrics = new AdapterMetrics();
        var readiness = new ReadinessState();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(readiness);
        builder.Services.AddSingleton(services => sourceFactory(options, services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(_ => SinkHttpClientFactory.Create(options.Sink, options.RocketMq.MaxInFlight));
        builder.Services.AddSingleton(services => ConsumerPipeline.Create(options,
            services.GetRequiredService<IMessageSource>(), converterFactory(options), services.GetRequiredService<HttpClient>(), metrics, readiness, services.GetRequiredService<ILoggerFactory>(), TimeProvider.System));
        builder.Services.AddHostedService<ConsumerService>();

        var app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(readiness.StopRequested);
        OperationsEndpoints.Map(app, options.Operations.HealthPort, options.Operations.MetricsEnabled ? options.Operations.MetricsPort : null, readiness, metrics);
        return app;
    }

    public static void ConfigureLogging(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        // Framework chatter (request logs, hosting lifetime) stays at warning unless debugging.
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
        logging.AddFilter("System.Net.Http", level <= LogLevel.Debug ? level : LogLevel.Warning);
        logging.AddConsole(console => console.FormatterName = JsonLineConsoleFormatter.FormatterName)
            .AddConsoleFormatter<JsonLineConsoleFormatter, ConsoleFormatterOptions>();
    }
}
