using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using RocketMqSource.Adapter.Configuration;

namespace RocketMqSource.Adapter.Delivery;

/// <summary>
/// Tokens for the source's OIDC service account, requested from the API server
/// (POST /api/v1/namespaces/{ns}/serviceaccounts/{sa}/token) with the pod's own account token,
/// one per audience, valid an hour and requested again once less than five minutes are left —
/// knative/eventing pkg/auth/token_provider.go (TokenExpirationTime, expirationBufferTime).
/// A plain HttpClient: the official Kubernetes client would cost the adapter 12 MB of image and 22 MB of memory for one call.
/// </summary>
internal sealed class TokenRequestTokenSource(HttpClient api, TokenRequestOptions options, TimeProvider time) : ISinkTokenSource
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, (string Token, DateTimeOffset Expires)> cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim requesting = new(1, 1);
    private readonly FileSinkTokenProvider podToken = new(options.PodTokenPath, "the pod's account token");

    public async ValueTask<string> GetTokenAsync(string audience, CancellationToken cancellationToken)
    {
        if (Fresh(audience) is { } cached)
        {
            return cached;
        }

        await requesting.WaitAsync(cancellationToken);
        try
        {
            // Another delivery may have requested it meanwhile.
            if (Fresh(audience) is { } again)
            {
                return again;
            }

            var issued = await RequestAsync(audience, cancellationToken);
            lock (cache)
            {
                cache[audience] = issued;
            }

            return issued.Token;
        }
        finally
        {
            requesting.Release();
        }
    }

    /// <summary>An HttpClient for the API server that trusts the cluster CA (ca.crt of the pod's account).</summary>
    public static HttpClient CreateApiClient(TokenRequestOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false, UseCookies = false };
        if (File.Exists(options.CaPath))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(options.CaPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                SinkHttpClientFactory.TrustWithExtraRoots(roots, certificate, chain, errors);
        }

        return new HttpClient(handler, disposeHandler: true) { BaseAddress = options.ApiServer, Timeout = TimeSpan.FromSeconds(10) };
    }

    private string? Fresh(string audience)
    {
        lock (cache)
        {
            return cache.TryGetValue(audience, out var entry) && entry.Expires - time.GetUtcNow() > RenewBefore ? entry.Token : null;
        }
    }

    private async Task<(string Token, DateTimeOffset Expires)> RequestAsync(string audience, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenRequest",
            ["spec"] = new JsonObject { ["audiences"] = new JsonArray(audience), ["expirationSeconds"] = (long)Lifetime.TotalSeconds },
        };
        var path = $"api/v1/namespaces/{Uri.EscapeDataString(options.Namespace)}/serviceaccounts/{Uri.EscapeDataString(options.ServiceAccount)}/token";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        try
        {
            // The kubelet rotates the pod's token file in place; the reader notices.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await podToken.ReadAsync(cancellationToken));
            using var response = await api.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new SinkTokenUnavailableException($"TokenRequest for service account {options.Namespace}/{options.ServiceAccount} failed with {(int)response.StatusCode}: {Message(text)}");
            }

            var status = JsonNode.Parse(text)?["status"];
            var token = (string?)status?["token"] is { Length: > 0 } issued ? issued
                : throw new SinkTokenUnavailableException($"TokenRequest for {options.Namespace}/{options.ServiceAccount} returned no token");
            var expires = DateTimeOffset.TryParse((string?)status?["expirationTimestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : time.GetUtcNow() + Lifetime;
            return (token, expires);
        }
        catch (HttpRequestException e)
        {
            throw new SinkTokenUnavailableException($"TokenRequest for {options.Namespace}/{options.ServiceAccount} failed: {e.Message}");
        }
        catch (IOException e)
        {
            throw new SinkTokenUnavailableException($"the pod's account token {options.PodTokenPath} is unreadable: {e.Message}");
        }
    }

    private static string Message(string status)
    {
        try
        {
            return (string?)JsonNode.Parse(status)?["message"] ?? status;
        }
        catch (System.Text.Json.JsonException)
        {
            return status;
        }
    }
}
