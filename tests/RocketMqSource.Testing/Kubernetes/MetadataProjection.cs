using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>The representation a request's Accept header asks for.</summary>
public enum ResponseShape
{
    Full,
    PartialObjectMetadata,
    PartialObjectMetadataList,
}

/// <summary>
/// kube-apiserver's metadata-only responses (k8s.io/apiserver pkg/endpoints/handlers/response.go
/// doTransformObject, negotiation in pkg/endpoints/handlers/negotiation): an Accept media range
/// <c>application/json;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1</c> turns objects into
/// meta.k8s.io/v1 PartialObjectMetadata (kind, apiVersion, metadata; no spec, data or status).
/// Media ranges are tried in order; none acceptable is 406 NotAcceptable, and so is a list asked
/// for as one object or one object asked for as a list.
/// </summary>
public static class MetadataProjection
{
    private const string NotAcceptableMessage = "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf";

    public static ResponseShape Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return ResponseShape.Full;
        }

        foreach (var range in accept.Split(','))
        {
            var parts = range.Split(';').Select(p => p.Trim()).ToArray();
            if (parts[0] is not ("application/json" or "application/*" or "*/*"))
            {
                continue;
            }

            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
            if (!parameters.TryGetValue("as", out var kind))
            {
                return ResponseShape.Full;
            }

            if (parameters.GetValueOrDefault("g") == "meta.k8s.io" && parameters.GetValueOrDefault("v") == "v1")
            {
                switch (kind)
                {
                    case "PartialObjectMetadata":
                        return ResponseShape.PartialObjectMetadata;
                    case "PartialObjectMetadataList":
                        return ResponseShape.PartialObjectMetadataList;
                }
            }
        }

        throw new ApiError(406, "NotAcceptable", NotAcceptableMessage);
    }

    /// <summary>A watch transforms each event's object, so it takes PartialObjectMetadata, never the list kind.</summary>
    public static void EnsureWatchable(ResponseShape shape)
    {
        if (shape == ResponseShape.PartialObjectMetadataList)
        {
            throw new ApiError(406, "NotAcceptable", "you requested PartialObjectMetadataList, but the requested object is not a list");
        }
    }

    /// <summary>One object (a GET, or a watch event's object) in the negotiated shape.</summary>
    public static JsonObject Object(JsonObject stored, ResponseShape shape) => shape switch
    {
        ResponseShape.Full => stored,
        ResponseShape.PartialObjectMetadata => Partial(stored),
        _ => throw new ApiError(406, "NotAcceptable", "you requested PartialObjectMetadataList, but the requested object is not a list"),
    };

    /// <summary>A list response in the negotiated shape.</summary>
    public static JsonObject List(string kind, string apiVersion, string resourceVersion, IEnumerable<JsonObject> items, ResponseShape shape)
    {
        if (shape == ResponseShape.PartialObjectMetadata)
        {
            throw new ApiError(406, "NotAcceptable", "you requested PartialObjectMetadata, but the requested object is a list");
        }

        var partial = shape == ResponseShape.PartialObjectMetadataList;
        return new JsonObject
        {
            ["kind"] = partial ? "PartialObjectMetadataList" : kind + "List",
            ["apiVersion"] = partial ? "meta.k8s.io/v1" : apiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["items"] = new JsonArray([.. items.Select(i => partial ? Partial(i) : i)]),
        };
    }

    /// <summary>A watch line {"type","object"} in the negotiated shape; Status objects (ERROR events) pass unchanged.</summary>
    public static string WatchLine(string line, ResponseShape shape)
    {
        if (shape == ResponseShape.Full)
        {
            return line;
        }

        var watchEvent = JsonNode.Parse(line)!.AsObject();
        if (watchEvent["object"] is JsonObject obj && (string?)obj["kind"] != "Status")
        {
            watchEvent["object"] = Partial(obj);
        }

        return watchEvent.ToJsonString();
    }

    private static JsonObject Partial(JsonObject stored) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = stored["metadata"]?.DeepClone() ?? new JsonObject(),
    };
}
