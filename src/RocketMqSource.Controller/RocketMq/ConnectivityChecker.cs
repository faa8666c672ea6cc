using System.Collections.Concurrent;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.RocketMq;

/// <summary>
/// The RocketMQReady check of each source, and the only place the controller reads Secret values:
/// when the source's connection settings or referenced Secrets changed (their resourceVersions,
/// from the metadata cache), when the last good answer is older than <see cref="HealthyFor"/>, and
/// while failing with exponential backoff (asking for a reconcile when the next try is due), it
/// reads the referenced Secrets, checks that each key exists, and probes with the values; otherwise
/// it answers from the last result, so a steady-state reconcile reads nothing. Values are dropped
/// after the probe: never kept, never logged.
/// </summary>
internal sealed class ConnectivityChecker(IKubernetes client, IRocketMqProbe probe, TimeProvider time, Action<string, TimeSpan> requeue)
{
    public static readonly TimeSpan HealthyFor = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Checked> results = new(StringComparer.Ordinal);

    /// <param name="key">namespace/name of the source.</param>
    /// <param name="secrets">The referenced Secrets as the metadata cache has them: all exist, with their versions.</param>
    /// <returns>The Secrets with their keys checked (a missing key is the first problem), and RocketMQ's answer.</returns>
    public async Task<(SecretCheck Secrets, RocketMqCheck RocketMq)> CheckAsync(string key, V1Alpha1RocketMQSource source, SecretCheck secrets, CancellationToken cancellationToken)
    {
        var spec = source.Spec;
        if (string.IsNullOrWhiteSpace(spec?.Endpoints) || string.IsNullOrWhiteSpace(spec.Topic))
        {
            results.TryRemove(key, out _);
            return (secrets, new RocketMqNotChecked(null));
        }

        var references = SecretReferences.Of(spec);
        var fingerprint = string.Join('|', spec.Endpoints, spec.Namespace, spec.Topic, spec.Tls, secrets.Versions, string.Join(',', references));
        var now = time.GetUtcNow();
        if (results.TryGetValue(key, out var last) && last.Fingerprint == fingerprint && now < last.RecheckAt)
        {
            return (last.Secrets, last.RocketMq);
        }

        var (keysChecked, values) = await ReadAsync(secrets, references, cancellationToken).ConfigureAwait(false);
        if (keysChecked.Problem is not null)
        {
            // Fixing it changes the Secret's version, and so the fingerprint: nothing to retry until then.
            results[key] = new Checked(fingerprint, keysChecked, new RocketMqNotChecked(keysChecked), DateTimeOffset.MaxValue, 0);
            return (keysChecked, new RocketMqNotChecked(keysChecked));
        }

        var target = new ProbeTarget(spec.Endpoints, spec.Namespace ?? string.Empty, spec.Topic, spec.Tls ?? true,
            Value(values, spec.CaCert), Value(values, spec.Credentials?.AccessKey), Value(values, spec.Credentials?.SecretKey), Value(values, spec.Credentials?.SecurityToken));
        RocketMqCheck check;
        try
        {
            check = new TopicRoutedCheck(target.Named, await probe.ProbeAsync(target, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            check = ProbeVerdict.Failed(target, e);
        }

        var healthy = check is TopicRoutedCheck;
        var failures = healthy ? 0 : (last?.Fingerprint == fingerprint ? last.Failures : 0) + 1;
        var wait = healthy ? HealthyFor : RetryDelay(failures);
        results[key] = new Checked(fingerprint, keysChecked, check, now + wait, failures);
        if (!healthy)
        {
            requeue(key, wait);
        }

        return (keysChecked, check);
    }

    public void Forget(string key) => results.TryRemove(key, out _);

    /// <summary>5 s, 10 s, 20 s … up to 5 min between checks of a failing source.</summary>
    public static TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, FirstRetry.Ticks << Math.Min(failures - 1, 16)));

    private static string? Value(Dictionary<(string, string), string> values, SecretValueFromSource? value) =>
        value?.SecretKeyRef is { Name: { } name, Key: { } secretKey } && values.TryGetValue((name, secretKey), out var text) ? text : null;

    /// <summary>Each referenced Secret once: a missing one or key is the problem; else the values, keyed by (Secret, key).</summary>
    private async Task<(SecretCheck Secrets, Dictionary<(string, string), string> Values)> ReadAsync(SecretCheck secrets, IReadOnlyList<SecretReference> references, CancellationToken cancellationToken)
    {
        var values = new Dictionary<(string, string), string>();
        foreach (var group in references.GroupBy(r => r.Name, StringComparer.Ordinal))
        {
            V1Secret secret;
            try
            {
                secret = await client.CoreV1.ReadNamespacedSecretAsync(group.Key, secrets.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.IsNotFound())
            {
                // Deleted since the cache saw it; its deletion queues another reconcile.
                return (secrets with { Problem = SecretProblem.NotFound, Secret = group.First() }, values);
            }

            foreach (var reference in group)
            {
                if (secret.Data?.TryGetValue(reference.Key, out var bytes) == true)
                {
                    values[(reference.Name, reference.Key)] = Encoding.UTF8.GetString(bytes);
                }
                else if (secret.StringData?.TryGetValue(reference.Key, out var text) == true)
                {
                    values[(reference.Name, reference.Key)] = text;
                }
                else
                {
                    return (secrets with { Problem = SecretProblem.KeyNotFound, Secret = reference }, values);
                }
            }
        }

        return (secrets, values);
    }

    private sealed record Checked(string Fingerprint, SecretCheck Secrets, RocketMqCheck RocketMq, DateTimeOffset RecheckAt, int Failures);
}
