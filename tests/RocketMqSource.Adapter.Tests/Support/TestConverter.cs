using System.Text;
using RocketMqSource.Adapter.Consuming;
using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>Stands in for the CloudEvents converter: the body becomes the data; a body "unconvertible" fails.</summary>
internal sealed class TestConverter : IMessageConverter
{
    public IOutgoingEvent Convert(ReceivedMessage message)
    {
        var body = (byte[])message.Native!;
        var extensions = new Dictionary<string, string>();
        if (message.MessageGroup is { } group)
        {
            extensions["rocketmqgroup"] = group;
        }

        if (Encoding.UTF8.GetString(body) == "unconvertible")
        {
            throw new MessageConversionException("body is not an event", new TestEvent(message.MessageId, body, extensions));
        }

        return new TestEvent(message.MessageId, body, extensions);
    }
}
