using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace RocketMqSource.Testing.Kubernetes;

/// <summary>
/// POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token as kube-apiserver answers it
/// (k8s.io/kubernetes pkg/registry/core/serviceaccount/storage/token.go): the account must
/// exist, spec.audiences defaults to the API server's own, expirationSeconds to one hour and
/// at least 10 minutes; the answer echoes the spec and adds status.token and
/// status.expirationTimestamp. Tokens are opaque here: namespace, account, audiences and a random part.
/// </summary>
internal static class TokenRequests
{
    private const long DefaultSeconds = 3600;
    private const long MinimumSeconds = 600;

    public static JsonObject Issue(ApiObjectStore store, ApiPath path, string account, JsonObject request, DateTimeOffset now)
    {
        store.Get(path with { Subresource = null });
        if ((string?)request["kind"] is { } kind && kind != "TokenRequest")
        {
            throw ApiError.BadRequest($"expected a TokenRequest, got {kind}");
        }

        var spec = request["spec"] as JsonObject ?? new JsonObject();
        var seconds = spec["expirationSeconds"]?.GetValue<long>() ?? DefaultSeconds;
        if (seconds < MinimumSeconds)
        {
            throw ApiError.Invalid("spec.expirationSeconds: may not specify a duration less than 10 minutes");
        }

        var audiences = spec["audiences"] is JsonArray { Count: > 0 } requested ? requested.DeepClone().AsArray() : new JsonArray("https://kubernetes.default.svc");
        var expires = now.AddSeconds(seconds);
        var token = $"{path.Namespace}.{account}.{string.Join('+', audiences.Select(a => (string?)a))}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        return new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = account, ["namespace"] = path.Namespace, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject { ["audiences"] = audiences, ["expirationSeconds"] = seconds },
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
        };
    }
}
