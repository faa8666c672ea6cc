using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Delivery;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Hosting;

/// <summary>Wires message source, converter, dispatcher, scheduler, ack batcher and loop together.</summary>
internal static class ConsumerPipeline
{
    public static ConsumeLoop Create(
        AdapterOptions options,
        IMessageSource source,
        IMessageConverter converter,
        HttpClient sinkClient,
        AdapterMetrics metrics,
        ReadinessState readiness,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        ConsumeOptions? consumeOptions = null)
    {
        var consume = consumeOptions ?? ConsumeOptions.From(options);
        ISinkTokenProvider? tokens = options.Sink.Audience is null ? null : new FileSinkTokenProvider(options.Sink.OidcTokenPath);
        var dispatcher = new EventDispatcher(sinkClient, options.Sink, new DeliveryDecisions(options.Retry), tokens, metrics, time,
            loggerFactory.CreateLogger<EventDispatcher>());
        var acks = new AckBatcher(source, Math.Max(consume.BatchSize, 16), consume.AckLinger, metrics, loggerFactory.CreateLogger<AckBatcher>());
        var processor = new MessageProcessor(converter, options.Sink.CeOverrides, dispatcher, source, acks, consume.HandBackDelay, metrics,
            loggerFactory.CreateLogger<MessageProcessor>());
        var scheduler = new DeliveryScheduler(processor, source, consume.InvisibleDuration, consume.Ordered, time,
            loggerFactory.CreateLogger<DeliveryScheduler>());
        return new ConsumeLoop(source, scheduler, acks, consume, metrics, readiness, time, loggerFactory.CreateLogger<ConsumeLoop>());
    }
}
