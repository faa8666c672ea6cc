using System.Text.Json.Nodes;
using RocketMqSource.Kubernetes.Events;
using RocketMqSource.Kubernetes.Models;

namespace RocketMqSource.Kubernetes;

/// <summary>Event types.</summary>
public static class EventType
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}

/// <summary>
/// Records events.k8s.io/v1 Events about objects. Repeats within the aggregation window
/// update one Event's series (count, lastObservedTime). Best effort: a failed write is
/// reported through <see cref="Error"/>, never thrown at the caller.
/// </summary>
public sealed class EventRecorder
{
    private readonly IKubernetes client;
    private readonly string reportingController;
    private readonly string reportingInstance;
    private readonly EventAggregator aggregator;

    /// <param name="reportingController">e.g. "rocketmqsource-controller".</param>
    /// <param name="reportingInstance">e.g. the pod name.</param>
    public EventRecorder(IKubernetes client, string reportingController, string reportingInstance, TimeSpan? aggregationWindow = null)
    {
        this.client = client;
        this.reportingController = reportingController;
        this.reportingInstance = reportingInstance;
        aggregator = new EventAggregator(aggregationWindow ?? TimeSpan.FromMinutes(6));
    }

    /// <summary>A failed event write.</summary>
    public event Action<Exception>? Error;

    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>A reference to a typed object, for <c>regarding</c>.</summary>
    public static V1ObjectReference ReferenceTo(IKubernetesObject obj) => new()
    {
        ApiVersion = obj.ApiVersion,
        Kind = obj.Kind,
        Name = obj.Metadata?.Name,
        Namespace = obj.Metadata?.Namespace,
        Uid = obj.Metadata?.Uid,
        ResourceVersion = obj.Metadata?.ResourceVersion,
    };

    /// <summary>A reference to an untyped object (custom resource), for <c>regarding</c>.</summary>
    public static V1ObjectReference ReferenceTo(JsonObject obj) => new()
    {
        ApiVersion = obj["apiVersion"]?.GetValue<string>(),
        Kind = obj["kind"]?.GetValue<string>(),
        Name = ObjectMetadata.Name(obj),
        Namespace = ObjectMetadata.Namespace(obj),
        Uid = ObjectMetadata.Uid(obj),
        ResourceVersion = ObjectMetadata.ResourceVersion(obj),
    };

    public Task NormalAsync(V1ObjectReference regarding, string reason, string action, string note, CancellationToken cancellationToken = default) =>
        RecordAsync(regarding, EventType.Normal, reason, action, note, cancellationToken);

    public Task WarningAsync(V1ObjectReference regarding, string reason, string action, string note, CancellationToken cancellationToken = default) =>
        RecordAsync(regarding, EventType.Warning, reason, action, note, cancellationToken);

    /// <summary>Records one occurrence; returns once it is written (or the write failed).</summary>
    public async Task RecordAsync(V1ObjectReference regarding, string type, string reason, string action, string note, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(regarding.Name);
        var now = Time.GetUtcNow();
        var occurrence = aggregator.Observe(regarding, type, reason, action, note, now);
        try
        {
            if (!occurrence.IsNew && await TryIncrementAsync(occurrence, now, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await client.CreateAsync(ResourceType.Events, NewEvent(occurrence, regarding, type, reason, action, note, now), occurrence.Namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or TimeoutException)
        {
            Error?.Invoke(e);
        }
    }

    private async Task<bool> TryIncrementAsync(EventOccurrence occurrence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var series = new JsonObject
        {
            ["series"] = new JsonObject
            {
                ["count"] = occurrence.Count,
                ["lastObservedTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        try
        {
            await client.PatchAsync<EventsV1Event>(ResourceType.Events, occurrence.Name, V1Patch.Merge(series), occurrence.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            // The Event expired on the server: start a new series under the same name.
            return false;
        }
    }

    private EventsV1Event NewEvent(EventOccurrence occurrence, V1ObjectReference regarding, string type, string reason, string action, string note, DateTimeOffset now) => new()
    {
        Metadata = new V1ObjectMeta { Name = occurrence.Name, Namespace = occurrence.Namespace },
        EventTime = now,
        Series = occurrence.Count > 1 ? new EventsV1EventSeries { Count = occurrence.Count, LastObservedTime = now } : null,
        ReportingController = reportingController,
        ReportingInstance = reportingInstance,
        Action = action,
        Reason = reason,
        Regarding = regarding,
        // The API server caps note at 1 kB.
        Note = note.Length > 1024 ? note[..1024] : note,
        Type = type,
    };
}
