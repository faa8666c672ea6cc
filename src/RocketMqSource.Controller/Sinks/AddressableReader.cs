using System.Globalization;
using k8s.Models;
using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Reconciling;

namespace RocketMqSource.Controller.Sinks;

/// <summary>
/// Pure reading of an Addressable's address (Knative duck: status.address / status.addresses
/// with url, CACerts, audience), a core Service's cluster DNS name, and the Destination rules
/// (relative uri joined onto the ref's URL; the Destination's own CACerts and audience win).
/// </summary>
internal static class AddressableReader
{
    public static SinkOutcome FromAddressable(Addressable target, KReference reference, string @namespace)
    {
        var described = AddressableKinds.Describe(reference, @namespace);
        var status = target.Status;
        var address = ChooseAddress(status);
        if (Absolute(address?.Url) is { } uri)
        {
            return SinkOutcome.Success(new ResolvedAddress(uri, NonEmpty(address!.CACerts), NonEmpty(address.Audience)));
        }

        // A Knative Service without a cluster-local address still has its public URL.
        if (AddressableKinds.IsKnativeService(reference) && Absolute(status?.Url) is { } publicUrl)
        {
            return SinkOutcome.Success(new ResolvedAddress(publicUrl, null, null));
        }

        if (status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { } ready && ready.Status != "True")
        {
            var why = NonEmpty(ready.Message) ?? NonEmpty(ready.Reason) ?? "it reports Ready " + ready.Status;
            return SinkOutcome.Failure(Reasons.SinkNotReady, $"{described} is not ready: {why}");
        }

        return SinkOutcome.Failure(Reasons.SinkNotAddressable, $"{described} has no address (status.address.url is empty); is it an Addressable?");
    }

    /// <summary>A core Service: http://name.namespace.svc.cluster.local, with its port unless it is 80.</summary>
    public static SinkOutcome FromCoreService(V1Service service, KReference reference, string @namespace)
    {
        var ports = service.Spec?.Ports ?? [];
        var chosen = ports.FirstOrDefault(p => p.Name is "http" or "http1") ?? ports.FirstOrDefault();
        var port = chosen?.Port ?? 80;
        var host = $"{reference.Name}.{@namespace}.svc.cluster.local";
        var authority = port == 80 ? host : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        return SinkOutcome.Success(new ResolvedAddress(new Uri($"http://{authority}/"), null, null));
    }

    /// <summary>Applies the Destination's uri (relative to the ref's URL), CACerts and audience to the ref's address.</summary>
    public static ResolvedAddress Apply(ResolvedAddress refAddress, Destination destination) =>
        new(
            string.IsNullOrEmpty(destination.Uri) ? refAddress.Uri : new Uri(refAddress.Uri, destination.Uri),
            string.IsNullOrEmpty(destination.CACerts) ? refAddress.CACerts : destination.CACerts,
            string.IsNullOrEmpty(destination.Audience) ? refAddress.Audience : destination.Audience);

    /// <summary>status.address, enriched by the status.addresses entry of the same name; else the first of status.addresses.</summary>
    private static Addressee? ChooseAddress(AddressableStatus? status)
    {
        var single = status?.Address;
        var many = status?.Addresses?.Where(a => NonEmpty(a.Url) is not null).ToList() ?? [];
        if (NonEmpty(single?.Url) is not null)
        {
            return many.FirstOrDefault(a => NonEmpty(a.Name) is { } name && name == single!.Name && a.Url == single.Url) ?? single;
        }

        return many.FirstOrDefault();
    }

    private static Uri? Absolute(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
