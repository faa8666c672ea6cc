using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using FsCheck;
using FsCheck.Fluent;
using RocketMqSource.Adapter.Conversion;
using RocketMqSource.Adapter.Tests.Support;
using RocketMqSource.RocketMq;

namespace RocketMqSource.Adapter.Tests.Conversion;

/// <summary>Any plain message converts to a valid CloudEvent whose binary-mode body is the message body.</summary>
public class ConversionProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly string[] Alphabet =
        ["a", "Z", "0", "-", "_", ".", " ", "é", "中", "😀", "\n", "\u0000", "\u007F", "\uD800", "\uFFFE", "%", "\"", "contentType", "trace", "parent", "CE"];

    private static Gen<string> Text(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.Elements(Alphabet).ArrayOf(n)).Select(parts => string.Concat(parts));

    private static Gen<MessageView> PlainMessages() =>
        from id in Gen.Elements("01AB", "0A0B0C0D0E0F101112131415161718191A", "msg-1")
        from topic in Gen.Elements("orders", "order_events-1", "%RETRY%g")
        from body in ArbMap.Default.GeneratorFor<byte[]>()
        from json in Gen.Elements(false, true)
        from tag in Text(0, 4)
        from keys in Text(1, 4).ListOf()
        from properties in Gen.Zip(Text(0, 5), Text(0, 6)).ListOf()
        from messageGroup in Gen.Elements<string?>(null, "customer-7", "g\u0001")
        select MessageViews.Create(
            id,
            json ? System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{body.Length}}}") : body,
            topic,
            tag.Length == 0 ? null : tag,
            [.. keys],
            properties.Where(p => !p.Item1.StartsWith("CE_", StringComparison.Ordinal)).DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => p.Item2),
            messageGroup);

    [Fact]
    public void Any_plain_message_converts_to_a_valid_event_whose_body_is_the_message_body()
    {
        var converter = Messages.Converter();
        var property = Prop.ForAll(Arb.From(PlainMessages()), message =>
        {
            using var content = converter.Convert(message).ToHttpContent(ContentMode.Binary, AdapterEventFormatter.Instance);
            var sent = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            Assert.Equal(message.Body, sent);

            // Read the request back as a receiver would (the SDK's reader): every header must decode into a valid event.
            using var asResponse = new HttpResponseMessage { Content = content };
            foreach (var header in content.Headers.Where(h => h.Key.StartsWith("ce-", StringComparison.Ordinal)).ToList())
            {
                asResponse.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            var read = asResponse.ToCloudEventAsync(new JsonEventFormatter()).GetAwaiter().GetResult();
            Assert.Equal(message.MessageId, read.Id);
            Assert.Equal("dev.knative.rocketmq.event", read.Type);
            Assert.Equal(message.Topic, read["rocketmqtopic"]);
            // Every user property is an extension, except the ones carried as traceparent/tracestate.
            var carried = read.ExtensionAttributes.Count(a => a.Name.StartsWith("rocketmqprop", StringComparison.Ordinal));
            Assert.InRange(carried, message.Properties.Keys.Count(k => !IsTracing(k)), message.Properties.Count);
            Assert.NotNull(read.DataContentType);
        });
        Check.One(Config, property);
    }

    private static bool IsTracing(string key) =>
        key.Equals("traceparent", StringComparison.OrdinalIgnoreCase) || key.Equals("tracestate", StringComparison.OrdinalIgnoreCase);
}
