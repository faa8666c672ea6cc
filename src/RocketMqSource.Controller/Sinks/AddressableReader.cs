using System.Globalization;
using System.Text.Json.Nodes;
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
    public static SinkOutcome FromAddressable(JsonObject target, KReference reference, string @namespace)
    {
        var described = AddressableKinds.Describe(reference, @namespace);
        var status = target["status"] as JsonObject;
        var address = ChooseAddress(status);
        if (address?["url"] is JsonValue url && Absolute(url.GetValue<string>()) is { } uri)
        {
            return SinkOutcome.Success(new ResolvedAddress(uri, Text(address["CACerts"]), Text(address["audience"])));
        }

        // A Knative Service without a cluster-local address still has its public URL.
        if (AddressableKinds.IsKnativeService(reference) && Absolute(Text(status?["url"])) is { } publicUrl)
        {
            return SinkOutcome.Success(new ResolvedAddress(publicUrl, null, null));
        }

        if (ReadyCondition(status) is { } ready && ready["status"]?.GetValue<string>() != "True")
        {
            var why = Text(ready["message"]) ?? Text(ready["reason"]) ?? "it reports Ready " + Text(ready["status"]);
            return SinkOutcome.Failure(Reasons.SinkNotReady, $"{described} is not ready: {why}");
        }

        return SinkOutcome.Failure(Reasons.SinkNotAddressable, $"{described} has no address (status.address.url is empty); is it an Addressable?");
    }

    /// <summary>A core Service: http://name.namespace.svc.cluster.local, with its port unless it is 80.</summary>
    public static SinkOutcome FromCoreService(JsonObject service, KReference reference, string @namespace)
    {
        var ports = service["spec"]?["ports"] as JsonArray ?? [];
        var chosen = ports.OfType<JsonObject>().FirstOrDefault(p => Text(p["name"]) is "http" or "http1") ?? ports.OfType<JsonObject>().FirstOrDefault();
        var port = chosen?["port"]?.GetValue<int>() ?? 80;
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
    private static JsonObject? ChooseAddress(JsonObject? status)
    {
        var single = status?["address"] as JsonObject;
        var many = (status?["addresses"] as JsonArray)?.OfType<JsonObject>().Where(a => Text(a["url"]) is not null).ToList() ?? [];
        if (single is not null && Text(single["url"]) is not null)
        {
            return many.FirstOrDefault(a => Text(a["name"]) is { } name && name == Text(single["name"]) && Text(a["url"]) == Text(single["url"])) ?? single;
        }

        return many.FirstOrDefault();
    }

    private static JsonObject? ReadyCondition(JsonObject? status) =>
        (status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == "Ready");

    private static Uri? Absolute(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
