using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace RocketMqSource.Kubernetes.Events;

/// <summary>Event types.</summary>
public static class EventType
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}

/// <summary>
/// Records events.k8s.io/v1 Events about objects through the official client (it has the
/// Event model and calls, not client-go's recorder). Repeats within the aggregation window
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

    /// <summary>The clock of eventTime and of the aggregation window.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>A reference to an object, for <c>regarding</c>.</summary>
    public static V1ObjectReference ReferenceTo(IKubernetesObject<V1ObjectMeta> obj) => new()
    {
        ApiVersion = obj.ApiVersion,
        Kind = obj.Kind,
        Name = obj.Name(),
        NamespaceProperty = obj.Namespace(),
        Uid = obj.Uid(),
        ResourceVersion = obj.ResourceVersion(),
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

            await client.EventsV1.CreateNamespacedEventAsync(NewEvent(occurrence, regarding, type, reason, action, note, now), occurrence.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or TimeoutException)
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
                // metav1.MicroTime.
                ["lastObservedTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            },
        };
        try
        {
            await client.EventsV1.PatchNamespacedEventAsync(new V1Patch(series.ToJsonString(), V1Patch.PatchType.MergePatch), occurrence.Name, occurrence.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // The Event expired on the server: start a new series under the same name.
            return false;
        }
    }

    private Eventsv1Event NewEvent(EventOccurrence occurrence, V1ObjectReference regarding, string type, string reason, string action, string note, DateTimeOffset now) => new()
    {
        ApiVersion = $"{Eventsv1Event.KubeGroup}/{Eventsv1Event.KubeApiVersion}",
        Kind = Eventsv1Event.KubeKind,
        Metadata = new V1ObjectMeta { Name = occurrence.Name, NamespaceProperty = occurrence.Namespace },
        EventTime = now.UtcDateTime,
        Series = occurrence.Count > 1 ? new Eventsv1EventSeries { Count = occurrence.Count, LastObservedTime = now.UtcDateTime } : null,
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
