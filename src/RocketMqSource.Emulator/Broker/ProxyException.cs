using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Broker;

/// <summary>A request the proxy answers with an in-band status other than OK.</summary>
internal sealed class ProxyException(Code code, string message) : Exception(message)
{
    public Code Code { get; } = code;

    public Status ToStatus() => new() { Code = Code, Message = Message };
}
