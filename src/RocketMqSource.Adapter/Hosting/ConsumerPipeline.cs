using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Operations;
using RocketMqSource.Contract;

namespace RocketMqSource.Adapter.Hosting;

/// <summary>Wires the message path: the loop receives, the scheduler converts, dispatches and settles (acks batched).</summary>
internal static class ConsumerPipeline
{
    public static ConsumeLoop Create(
        AdapterOptions options,
        ConsumeOptions consume,
        IMessageSource source,
        HttpClient sinkClient,
        AdapterTelemetry telemetry,
        ReadinessState readiness,
        ILoggerFactory loggerFactory,
        TimeProvider time)
    {
        var converter = new CloudEventConverter(
            new EventSourceUri(options.Operations.Namespace, options.Operations.Name, options.RocketMq.ConsumerGroup), options.Sink.CeOverrides);
        var dispatcher = new EventDispatcher(sinkClient, options.Sink, new DeliveryDecisions(options.Retry), telemetry, time,
            loggerFactory.CreateLogger<EventDispatcher>(), SinkTokens.For(options.Sink, time));
        var acks = new AckBatcher(source, Math.Max(consume.BatchSize, 16), consume.AckLinger, telemetry, time, loggerFactory.CreateLogger<AckBatcher>());
        var scheduler = new DeliveryScheduler(converter, dispatcher, source, acks, consume, telemetry, time, loggerFactory.CreateLogger<DeliveryScheduler>());
        return new ConsumeLoop(source, scheduler, consume, telemetry, readiness, time, loggerFactory.CreateLogger<ConsumeLoop>());
    }
}
