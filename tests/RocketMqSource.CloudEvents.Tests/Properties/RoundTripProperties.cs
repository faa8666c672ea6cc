using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using FsCheck;
using FsCheck.Fluent;
using RocketMqSource.CloudEvents.AspNetCore;
using RocketMqSource.CloudEvents.RocketMq;
using RocketMqSource.CloudEvents.Tests.Support;

namespace RocketMqSource.CloudEvents.Tests.Properties;

/// <summary>
/// Any valid event survives every binding unchanged (attributes, their types, and data): the SDK's
/// HTTP writer read back by our ASP.NET Core helpers, and our RocketMQ binding both ways.
/// </summary>
public class RoundTripProperties
{
    private static readonly JsonEventFormatter Formatter = new();
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Http_binary_mode_round_trips_any_event_whose_data_it_can_carry() =>
        Check(EventGenerators.BinaryModeKeepsData, cloudEvent =>
        {
            using var content = cloudEvent.ToHttpContent(ContentMode.Binary, Formatter);
            var request = HttpMessages.ToRequestAsync(content).GetAwaiter().GetResult();
            return request.ToCloudEventAsync(Formatter, [.. cloudEvent.ExtensionAttributes]).GetAwaiter().GetResult();
        });

    [Fact]
    public void Http_structured_mode_round_trips_any_event() =>
        Check(_ => true, cloudEvent =>
        {
            using var content = cloudEvent.ToHttpContent(ContentMode.Structured, Formatter);
            var request = HttpMessages.ToRequestAsync(content).GetAwaiter().GetResult();
            return request.ToCloudEventAsync(Formatter, [.. cloudEvent.ExtensionAttributes]).GetAwaiter().GetResult();
        });

    [Fact]
    public void RocketMq_binary_mode_round_trips_any_event_with_data() =>
        Check(cloudEvent => cloudEvent.Data is not null && EventGenerators.BinaryModeKeepsData(cloudEvent), cloudEvent =>
        {
            var message = cloudEvent.ToRocketMqMessage(ContentMode.Binary, Formatter).SetTopic("orders").Build();
            Assert.True(message.IsCloudEvent());
            return message.ToCloudEvent(Formatter, [.. cloudEvent.ExtensionAttributes]);
        });

    [Fact]
    public void RocketMq_structured_mode_round_trips_any_event() =>
        Check(_ => true, cloudEvent =>
        {
            var message = cloudEvent.ToRocketMqMessage(ContentMode.Structured, Formatter).SetTopic("orders").Build();
            Assert.True(message.IsCloudEvent());
            return message.ToCloudEvent(Formatter, [.. cloudEvent.ExtensionAttributes]);
        });

    [Fact]
    public void Json_batch_round_trips_any_list_of_events()
    {
        var batches = EventGenerators.Events.Generator.ListOf()
            .Select(list => list.ToList())
            .Where(list => list.SelectMany(e => e.ExtensionAttributes).GroupBy(a => a.Name).All(g => g.Select(a => a.Type).Distinct().Count() == 1));
        var property = Prop.ForAll(Arb.From(batches), events =>
        {
            using var content = events.ToHttpContent(Formatter);
            var request = HttpMessages.ToRequestAsync(content).GetAwaiter().GetResult();
            Assert.True(request.IsCloudEventBatch());
            var extensions = events.SelectMany(e => e.ExtensionAttributes).DistinctBy(a => a.Name).ToArray();
            var decoded = request.ToCloudEventBatchAsync(Formatter, extensions).GetAwaiter().GetResult();
            Assert.Equal(events.Count, decoded.Count);
            for (var i = 0; i < events.Count; i++)
            {
                EventAssert.Equivalent(events[i], decoded[i]);
            }
        });
        FsCheck.Check.One(Config.WithMaxTest(100), property);
    }

    private static void Check(Func<CloudEvent, bool> applies, Func<CloudEvent, CloudEvent> roundTrip)
    {
        var property = Prop.ForAll(Arb.From(EventGenerators.Events.Generator.Where(applies)), cloudEvent =>
        {
            var decoded = roundTrip(cloudEvent);
            var problem = EventAssert.Difference(cloudEvent, decoded);
            return (problem is null).Label($"{problem}\n{EventGenerators.Describe(cloudEvent)}");
        });
        FsCheck.Check.One(Config, property);
    }
}
