using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RocketMqSource.Adapter.Delivery;

namespace RocketMqSource.Adapter.Tests.Support;

/// <summary>
/// Listens to one adapter's Meter (not others in the process) and sums each instrument's
/// measurements per response code: the status code, "none" for no response, "" without a code;
/// for rocketmqsource.messages.ended, per "end/reason".
/// </summary>
internal sealed class RecordedMetrics : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Code), double> sums = new();
    private readonly ConcurrentDictionary<string, long> measurements = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> lastObserved = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Instrument, string Code), double> observedByCode = new();

    public RecordedMetrics(Meter meter)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    public long Sum(string instrument, string code = "") => (long)sums.GetValueOrDefault((instrument, code));

    /// <summary>How many messages ended so, e.g. Ended("dead_lettered", "unconvertible").</summary>
    public long Ended(string end, string reason) => Ends().GetValueOrDefault($"{end}/{reason}");

    /// <summary>Every (end/reason, count) of rocketmqsource.messages.ended (an observable counter) now.</summary>
    public IReadOnlyDictionary<string, long> Ends()
    {
        lock (listener)
        {
            listener.RecordObservableInstruments();
            return observedByCode.Where(s => s.Key.Instrument == "rocketmqsource.messages.ended").ToDictionary(s => s.Key.Code, s => (long)s.Value, StringComparer.Ordinal);
        }
    }

    public long Measurements(string instrument) => measurements.GetValueOrDefault(instrument);

    /// <summary>Reads the observable instruments now; the named one's value, or null when it reported nothing.</summary>
    public double? Observe(string instrument)
    {
        lock (listener)
        {
            lastObserved.TryRemove(instrument, out _);
            listener.RecordObservableInstruments();
            return lastObserved.TryGetValue(instrument, out var value) ? value : null;
        }
    }

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var code = string.Empty;
        string? end = null;
        foreach (var (key, tag) in tags)
        {
            code = key switch
            {
                AdapterTelemetry.StatusCodeTag => Convert.ToString(tag, System.Globalization.CultureInfo.InvariantCulture)!,
                AdapterTelemetry.ErrorTypeTag => "none",
                AdapterTelemetry.ReasonTag => $"{end}/{tag}",
                _ => code,
            };
            end = key == AdapterTelemetry.EndTag ? (string?)tag : end;
        }

        if (instrument.IsObservable)
        {
            lastObserved[instrument.Name] = value;
            observedByCode[(instrument.Name, code)] = value;
            return;
        }

        sums.AddOrUpdate((instrument.Name, code), value, (_, sum) => sum + value);
        measurements.AddOrUpdate(instrument.Name, 1, (_, count) => count + 1);
    }
}
