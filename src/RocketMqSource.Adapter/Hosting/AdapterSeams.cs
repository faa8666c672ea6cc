using Microsoft.Extensions.Logging;
using RocketMqSource.Adapter.Configuration;
using RocketMqSource.Adapter.Consuming;

namespace RocketMqSource.Adapter.Hosting;

/// <summary>
/// The parts that come from the other libraries: the RocketMQ SimpleConsumer behind
/// <see cref="IMessageSource"/> and the CloudEvents converter/writer behind
/// <see cref="IMessageConverter"/>.
/// </summary>
internal sealed record AdapterSeams(
    Func<AdapterOptions, ILoggerFactory, IMessageSource>? MessageSourceFactory,
    Func<AdapterOptions, IMessageConverter>? ConverterFactory)
{
    /// <summary>What this build has: neither yet.</summary>
    public static AdapterSeams Built { get; } = new(null, null);

    /// <summary>A one-line reason the adapter cannot run with these seams, or null when it can.</summary>
    public string? MissingReason =>
        MessageSourceFactory is null ? "no RocketMQ message source is built into this adapter (the SimpleConsumer is not wired in yet)"
        : ConverterFactory is null ? "no CloudEvents converter is built into this adapter (the converter is not wired in yet)"
        : null;
}
