using System.Net;
using System.Text.Json.Nodes;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;
using RocketMqSource.Kubernetes;

namespace RocketMqSource.Controller.Sinks;

/// <summary>Resolves a Destination to an address by reading the referenced object (I/O); the rules are in <see cref="AddressableReader"/>.</summary>
internal sealed class SinkResolver(IKubernetes client)
{
    /// <param name="destination">A destination already checked by <see cref="SpecValidator.ValidateDestination"/>.</param>
    /// <param name="sourceNamespace">The default namespace of the reference.</param>
    public async Task<SinkOutcome> ResolveAsync(Destination destination, string sourceNamespace, CancellationToken cancellationToken)
    {
        if (destination.Ref is not { } reference)
        {
            return SinkOutcome.Success(new ResolvedAddress(new Uri(destination.Uri!), NullIfEmpty(destination.CACerts), NullIfEmpty(destination.Audience)));
        }

        var @namespace = string.IsNullOrEmpty(reference.Namespace) ? sourceNamespace : reference.Namespace;
        var described = AddressableKinds.Describe(reference, @namespace);
        JsonObject target;
        try
        {
            target = await client.GetAsync<JsonObject>(AddressableKinds.ResourceOf(reference), reference.Name!, @namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return SinkOutcome.Failure(Reasons.SinkNotFound, $"{described} not found");
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            return SinkOutcome.Failure(Reasons.SinkNotResolved,
                $"the controller may not read {described}; grant get/list/watch on it through Knative's addressable-resolver ClusterRole");
        }

        var outcome = AddressableKinds.IsCoreService(reference)
            ? AddressableReader.FromCoreService(target, reference, @namespace)
            : AddressableReader.FromAddressable(target, reference, @namespace);
        return outcome.Address is { } address ? SinkOutcome.Success(AddressableReader.Apply(address, destination)) : outcome;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
