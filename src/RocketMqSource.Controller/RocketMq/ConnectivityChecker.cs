using System.Collections.Concurrent;
using System.Text;
using k8s;
using k8s.Autorest;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.RocketMq;

/// <summary>
/// The RocketMQReady condition of each source. Probes when the source's connection settings or
/// Secrets changed, when the last good answer is older than <see cref="HealthyFor"/>, and while
/// failing with exponential backoff (asking for a reconcile when the next try is due); otherwise
/// answers from the last result, so reconciles cause no probe storm. Credential values are read
/// from the Secret for each probe and dropped after it: never kept, never logged.
/// </summary>
internal sealed class ConnectivityChecker(IKubernetes client, IRocketMqProbe probe, TimeProvider time, Action<string, TimeSpan> requeue)
{
    public static readonly TimeSpan HealthyFor = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Checked> results = new(StringComparer.Ordinal);

    /// <param name="key">namespace/name of the source.</param>
    /// <param name="secretVersions">resourceVersions of the referenced Secrets: a Secret edit re-checks at once.</param>
    public async Task<ConditionState> CheckAsync(string key, V1Alpha1RocketMQSource source, string? secretVersions, CancellationToken cancellationToken)
    {
        var spec = source.Spec;
        if (string.IsNullOrWhiteSpace(spec?.Endpoints) || string.IsNullOrWhiteSpace(spec.Topic))
        {
            results.TryRemove(key, out _);
            return ProbeVerdict.NotChecked("spec.endpoints and spec.topic are needed to check RocketMQ");
        }

        var fingerprint = string.Join('|', spec.Endpoints, spec.Namespace, spec.Topic, spec.Tls, secretVersions);
        var now = time.GetUtcNow();
        if (results.TryGetValue(key, out var last) && last.Fingerprint == fingerprint && now < last.RecheckAt)
        {
            return last.State;
        }

        var target = await ReadTargetAsync(source, cancellationToken).ConfigureAwait(false);
        ConditionState state;
        try
        {
            state = ProbeVerdict.Healthy(target, await probe.ProbeAsync(target, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            state = ProbeVerdict.Failed(target, e);
        }

        var failures = state.IsTrue ? 0 : (last?.Fingerprint == fingerprint ? last.Failures : 0) + 1;
        var wait = state.IsTrue ? HealthyFor : RetryDelay(failures);
        results[key] = new Checked(fingerprint, state, now + wait, failures);
        if (!state.IsTrue)
        {
            requeue(key, wait);
        }

        return state;
    }

    public void Forget(string key) => results.TryRemove(key, out _);

    /// <summary>5 s, 10 s, 20 s … up to 5 min between checks of a failing source.</summary>
    public static TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, FirstRetry.Ticks << Math.Min(failures - 1, 16)));

    private async Task<ProbeTarget> ReadTargetAsync(V1Alpha1RocketMQSource source, CancellationToken cancellationToken)
    {
        var spec = source.Spec!;
        var ns = source.Metadata.NamespaceProperty;
        return new ProbeTarget(
            spec.Endpoints!,
            spec.Namespace ?? string.Empty,
            spec.Topic!,
            spec.Tls ?? true,
            await ReadAsync(ns, spec.CaCert, cancellationToken).ConfigureAwait(false),
            await ReadAsync(ns, spec.Credentials?.AccessKey, cancellationToken).ConfigureAwait(false),
            await ReadAsync(ns, spec.Credentials?.SecretKey, cancellationToken).ConfigureAwait(false),
            await ReadAsync(ns, spec.Credentials?.SecurityToken, cancellationToken).ConfigureAwait(false));
    }

    private async Task<string?> ReadAsync(string ns, SecretValueFromSource? value, CancellationToken cancellationToken)
    {
        if (value?.SecretKeyRef is not { Name: { Length: > 0 } name, Key: { Length: > 0 } secretKey })
        {
            return null;
        }

        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (secret.Data?.TryGetValue(secretKey, out var bytes) == true)
            {
                return Encoding.UTF8.GetString(bytes);
            }

            return secret.StringData?.TryGetValue(secretKey, out var text) == true ? text : null;
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            // The Secret check reports it; the probe then runs without the value.
            return null;
        }
    }

    private sealed record Checked(string Fingerprint, ConditionState State, DateTimeOffset RecheckAt, int Failures);
}
