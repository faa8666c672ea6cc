using System.Diagnostics;
using System.Diagnostics.Metrics;
using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Operations;

/// <summary>
/// The adapter's instruments (System.Diagnostics.Metrics) and its span source: OpenTelemetry
/// exports them as config-observability says. Names follow the OpenTelemetry messaging semantic
/// conventions and Knative's where those exist (kn.eventing.dispatch.duration, as the Knative
/// brokers and channels name it: knative/eventing pkg/broker/filter/filter_handler.go); the rest
/// are ours, under rocketmqsource.*. Every measurement carries the topic and consumer group.
/// </summary>
internal sealed class AdapterTelemetry : IDisposable
{
    /// <summary>The Meter and ActivitySource name an OpenTelemetry provider subscribes to.</summary>
    public const string Name = "RocketMqSource.Adapter";

    public const string StatusCodeTag = "http.response.status_code";
    public const string ErrorTypeTag = "error.type";

    /// <summary>Knative's dispatch latency buckets (the same as its brokers and channels, so the series aggregate).</summary>
    private static readonly double[] DispatchBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>From milliseconds (a busy-free topic) to hours (a backlog after an outage).</summary>
    private static readonly double[] QueueBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400];

    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private static readonly KeyValuePair<string, object?> NoResponse = new(ErrorTypeTag, "no_response");

    private static readonly object[] Codes = [.. Enumerable.Range(0, 600).Select(code => (object)code)];

    public static readonly ActivitySource Spans = new(Name);

    private readonly KeyValuePair<string, object?> system = new("messaging.system", "rocketmq");
    private readonly KeyValuePair<string, object?> destination;
    private readonly KeyValuePair<string, object?> group;
    private readonly Counter<long> consumed;
    private readonly Histogram<int> batchSize;
    private readonly Histogram<double> queueDuration;
    private readonly Counter<long> delivered;
    private readonly Counter<long> retried;
    private readonly Counter<long> deadLettered;
    private readonly Counter<long> handedBack;
    private readonly Counter<long> acksFailed;
    private readonly Histogram<double> dispatchDuration;
    private readonly UpDownCounter<long> inFlight;
    private Func<TimeSpan?> oldestInFlightAge = () => null;

    public AdapterTelemetry(string topic, string consumerGroup)
    {
        destination = new("messaging.destination.name", topic);
        group = new("messaging.consumer.group.name", consumerGroup);
        // One Meter per adapter instance: a listener can tell two adapters in one process apart.
        Meter = new Meter(Name);
        consumed = Meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Messages received from RocketMQ.");
        batchSize = Meter.CreateHistogram<int>("rocketmqsource.receive.batch_size", "{message}", "Messages per ReceiveMessage answer that carried any.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        queueDuration = Meter.CreateHistogram<double>("rocketmqsource.message.queue.duration", "s", "How long a message waited in RocketMQ: receive time minus born time.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QueueBuckets });
        delivered = Meter.CreateCounter<long>("rocketmqsource.events.delivered", "{event}", "Events the sink accepted, by response code.");
        retried = Meter.CreateCounter<long>("rocketmqsource.events.retried", "{event}", "Retries of a failed attempt, by the failed attempt's response code.");
        deadLettered = Meter.CreateCounter<long>("rocketmqsource.events.dead_lettered", "{event}", "Events the dead-letter sink accepted, by the sink's last response code.");
        handedBack = Meter.CreateCounter<long>("rocketmqsource.messages.handed_back", "{message}", "Messages handed back to RocketMQ for redelivery, by the sink's last response code.");
        acksFailed = Meter.CreateCounter<long>("rocketmqsource.acks.failed", "{message}", "Acknowledgements RocketMQ refused or that failed (the message is delivered again).");
        dispatchDuration = Meter.CreateHistogram<double>("kn.eventing.dispatch.duration", "s", "Duration of one HTTP attempt to a sink.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DispatchBuckets });
        inFlight = Meter.CreateUpDownCounter<long>("rocketmqsource.messages.in_flight", "{message}", "Messages received and not yet acked, dead-lettered, handed back or abandoned.");
        Meter.CreateObservableGauge("rocketmqsource.messages.in_flight.oldest_age", ObserveOldest, "s", "Time since the oldest message the adapter holds was received.");
    }

    public Meter Meter { get; }

    public void Received(int count)
    {
        consumed.Add(count, Base());
        batchSize.Record(count, Base());
    }

    public void Queued(TimeSpan waited) => queueDuration.Record(Math.Max(0, waited.TotalSeconds), Base());

    public void Delivered(AttemptResult result) => delivered.Add(1, WithCode(result));

    public void Retried(AttemptResult result) => retried.Add(1, WithCode(result));

    public void DeadLettered(AttemptResult reason) => deadLettered.Add(1, WithCode(reason));

    public void HandedBack(AttemptResult reason) => handedBack.Add(1, WithCode(reason));

    public void AcksFailed(int count)
    {
        if (count > 0)
        {
            acksFailed.Add(count, Base());
        }
    }

    public void Dispatched(AttemptResult result, TimeSpan duration) => dispatchDuration.Record(duration.TotalSeconds, WithCode(result));

    public void Held() => inFlight.Add(1, Base());

    public void Released() => inFlight.Add(-1, Base());

    /// <summary>Where the oldest-in-flight gauge reads from (the scheduler, which holds the messages).</summary>
    public void ObserveOldestInFlight(Func<TimeSpan?> age) => oldestInFlightAge = age;

    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<double>> ObserveOldest()
    {
        if (oldestInFlightAge() is { } age)
        {
            yield return new Measurement<double>(age.TotalSeconds, system, destination, group);
        }
    }

    private TagList Base() => new() { system, destination, group };

    private TagList WithCode(AttemptResult result)
    {
        var tags = Base();
        tags.Add(result.StatusCode is { } code ? new KeyValuePair<string, object?>(StatusCodeTag, BoxedCode(code)) : NoResponse);
        return tags;
    }

    /// <summary>Boxed once: a status code tag per event would otherwise allocate.</summary>
    private static object BoxedCode(int code) => code is >= 0 and < 600 ? Codes[code] : code;
}
