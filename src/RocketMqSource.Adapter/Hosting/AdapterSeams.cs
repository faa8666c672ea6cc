using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Conversion;

namespace RocketMqSource.Adapter.Hosting;

/// <summary>
/// The parts that come from the other libraries: the RocketMQ SimpleConsumer behind
/// <see cref="IMessageSource"/> and the CloudEvents converter/writer behind
/// <see cref="IMessageConverter"/>. Tests swap them for doubles.
/// </summary>
internal sealed record AdapterSeams(
    Func<AdapterOptions, ILoggerFactory, IMessageSource> MessageSourceFactory,
    Func<AdapterOptions, IMessageConverter> ConverterFactory)
{
    /// <summary>The production parts: <see cref="SimpleConsumerSource"/> and <see cref="CloudEventConverter"/>.</summary>
    public static AdapterSeams Built { get; } = new(
        (options, logging) => new SimpleConsumerSource(options.RocketMq, logging.CreateLogger<SimpleConsumerSource>()),
        options => new CloudEventConverter(new PlainMessageMapper(
            new EventSourceUri(options.Operations.Namespace, options.Operations.Name, options.RocketMq.ConsumerGroup))));
}
