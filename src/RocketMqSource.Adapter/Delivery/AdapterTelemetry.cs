using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RocketMqSource.Adapter.Delivery;

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
    public const string EndTag = "end";
    public const string ReasonTag = "reason";

    /// <summary>Knative's dispatch latency buckets (the same as its brokers and channels, so the series aggregate).</summary>
    private static readonly double[] DispatchBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>From milliseconds (a busy-free topic) to hours (a backlog after an outage).</summary>
    private static readonly double[] QueueBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400];

    /// <summary>The adapter's own share of a message's latency: 50 µs to 1 s, fine around the 1 ms target.</summary>
    private static readonly double[] ServiceBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    /// <summary>Tag values of <see cref="StageTag"/>: received → POST started; POST answered (ack queued) → ack request sent.</summary>
    public const string BeforePostStage = "before_post";
    public const string BeforeAckStage = "before_ack";

    public const string StageTag = "stage";

    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private static readonly int ReasonCount = Enum.GetValues<EndReason>().Length;

    private static readonly KeyValuePair<string, object?> NoResponse = new(ErrorTypeTag, "no_response");

    /// <summary>Status codes 0–599 get a cached tag set; the slot after them is no response.</summary>
    private const int NoResponseSlot = 600;

    public static readonly ActivitySource Spans = new(Name);

    /// <summary>
    /// Built once: every measurement passes a ready tag array (no TagList to fill, no code to box);
    /// a callgrind profile showed both on every event.
    /// </summary>
    private readonly KeyValuePair<string, object?>[] baseTags;
    private readonly KeyValuePair<string, object?>[]?[] tagsByCode = new KeyValuePair<string, object?>[]?[NoResponseSlot + 1];
    private readonly Counter<long> consumed;
    private readonly Histogram<int> batchSize;
    private readonly Histogram<double> queueDuration;
    private readonly Counter<long> delivered;
    private readonly Counter<long> retried;
    private readonly Counter<long> deadLettered;
    private readonly Counter<long> handedBack;
    private readonly Counter<long> acksFailed;
    /// <summary>The tag set of every (end, reason) pair, built once, and how many messages ended so.</summary>
    private readonly KeyValuePair<string, object?>[][] endTags;
    private readonly long[] ends;
    private readonly Histogram<double> dispatchDuration;
    private readonly Histogram<double> serviceDuration;
    private readonly KeyValuePair<string, object?>[] beforePostTags;
    private readonly KeyValuePair<string, object?>[] beforeAckTags;
    private long inFlight;
    private Func<TimeSpan?> oldestInFlightAge = () => null;

    public AdapterTelemetry(string topic, string consumerGroup)
    {
        baseTags = [new("messaging.system", "rocketmq"), new("messaging.destination.name", topic), new("messaging.consumer.group.name", consumerGroup)];
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
        var reasons = Enum.GetValues<EndReason>();
        endTags = [.. Enum.GetValues<End>().SelectMany(end => reasons.Select(reason => (KeyValuePair<string, object?>[])
            [.. baseTags, new(EndTag, MessageEnds.Label(end)), new(ReasonTag, MessageEnds.Label(reason))]))];
        ends = new long[endTags.Length];
        // Observed, not added per message: one interlocked increment per message instead of a tagged measurement (callgrind: ≈ 6k instructions an event).
        Meter.CreateObservableCounter("rocketmqsource.messages.ended", ObserveEnds, "{message}",
            "Messages the adapter let go of, by end (delivered, dead_lettered, handed_back, abandoned) and reason.");
        dispatchDuration = Meter.CreateHistogram<double>("kn.eventing.dispatch.duration", "s", "Duration of one HTTP attempt to a sink.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DispatchBuckets });
        serviceDuration = Meter.CreateHistogram<double>("rocketmqsource.message.service.duration", "s",
            "The adapter's own time on a message, by stage: received → POST started (before_post), POST answered → ack request sent (before_ack).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ServiceBuckets });
        beforePostTags = [.. baseTags, new(StageTag, BeforePostStage)];
        beforeAckTags = [.. baseTags, new(StageTag, BeforeAckStage)];
        // Observed, not added per message: two measurements (and their tag lookups) less per event.
        Meter.CreateObservableUpDownCounter("rocketmqsource.messages.in_flight", () => new Measurement<long>(Volatile.Read(ref inFlight), baseTags),
            "{message}", "Messages received and not yet acked, dead-lettered, handed back or abandoned.");
        Meter.CreateObservableGauge("rocketmqsource.messages.in_flight.oldest_age", ObserveOldest, "s", "Time since the oldest message the adapter holds was received.");
    }

    public Meter Meter { get; }

    public void Received(int count)
    {
        consumed.Add(count, baseTags);
        batchSize.Record(count, baseTags);
    }

    public void Queued(TimeSpan waited) => queueDuration.Record(Math.Max(0, waited.TotalSeconds), baseTags);

    public void Delivered(AttemptResult result) => delivered.Add(1, WithCode(result));

    public void Retried(AttemptResult result) => retried.Add(1, WithCode(result));

    public void DeadLettered(AttemptResult reason) => deadLettered.Add(1, WithCode(reason));

    public void HandedBack(AttemptResult reason) => handedBack.Add(1, WithCode(reason));

    /// <summary>One message ended (see <see cref="MessageEnds"/>).</summary>
    public void Ended(End end, EndReason reason) => Interlocked.Increment(ref ends[((int)end * ReasonCount) + (int)reason]);

    public void AcksFailed(int count)
    {
        if (count > 0)
        {
            acksFailed.Add(count, baseTags);
        }
    }

    public void Dispatched(AttemptResult result, TimeSpan duration) => dispatchDuration.Record(duration.TotalSeconds, WithCode(result));

    /// <summary>From the message's receipt to its first POST about to start (scheduling, conversion).</summary>
    public void BeforePost(TimeSpan waited) => serviceDuration.Record(waited.TotalSeconds, beforePostTags);

    /// <summary>From the sink's answer (the ack queued) to the ack request that carries it (batching).</summary>
    public void BeforeAck(TimeSpan waited) => serviceDuration.Record(waited.TotalSeconds, beforeAckTags);

    public void Held() => Interlocked.Increment(ref inFlight);

    public void Released() => Interlocked.Decrement(ref inFlight);

    /// <summary>Where the oldest-in-flight gauge reads from (the scheduler, which holds the messages).</summary>
    public void ObserveOldestInFlight(Func<TimeSpan?> age) => oldestInFlightAge = age;

    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveEnds()
    {
        for (var i = 0; i < ends.Length; i++)
        {
            if (Volatile.Read(ref ends[i]) is var count and > 0)
            {
                yield return new Measurement<long>(count, endTags[i]);
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveOldest()
    {
        if (oldestInFlightAge() is { } age)
        {
            yield return new Measurement<double>(age.TotalSeconds, baseTags);
        }
    }

    /// <summary>The base tags and the status code (or no response); a benign race may build one twice.</summary>
    private KeyValuePair<string, object?>[] WithCode(AttemptResult result)
    {
        var slot = result.StatusCode is { } code ? (code is >= 0 and < NoResponseSlot ? code : -1) : NoResponseSlot;
        if (slot >= 0 && tagsByCode[slot] is { } cached)
        {
            return cached;
        }

        KeyValuePair<string, object?>[] tags = [.. baseTags, result.StatusCode is { } status ? new(StatusCodeTag, status) : NoResponse];
        if (slot >= 0)
        {
            tagsByCode[slot] = tags;
        }

        return tags;
    }
}
