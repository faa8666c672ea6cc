using System.Net;
using System.Text.Json.Nodes;
using RocketMqSource.Testing.Kubernetes;

namespace RocketMqSource.Kubernetes.Tests;

public sealed class TokenRotationTests : IAsyncLifetime, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("token-").FullName;
    private KubernetesApiServerDouble server = null!;

    public async Task InitializeAsync() => server = await KubernetesApiServerDouble.StartAsync(new KubernetesApiServerOptions { BearerToken = "t1" });

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task ClientSendsTheRotatedTokenOnceTheCachedOneIsStale()
    {
        var tokenFile = Path.Combine(folder, "token");
        await File.WriteAllTextAsync(tokenFile, "t1");
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var config = new KubernetesClientConfiguration { Host = server.BaseUri.ToString(), TokenFile = tokenFile, TimeProvider = clock };
        using var client = new KubernetesClient(config);
        await client.ListAsync<JsonObject>(ResourceType.Secrets, "ns");

        // The kubelet rotates the token and the old one stops working.
        await File.WriteAllTextAsync(tokenFile, "t2");
        server.AllowToken("t2");
        server.RevokeToken("t1");

        var stale = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync<JsonObject>(ResourceType.Secrets, "ns"));
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);

        clock.Advance(TimeSpan.FromMinutes(1));
        var list = await client.ListAsync<JsonObject>(ResourceType.Secrets, "ns");
        Assert.Empty(list.Items);
    }
}
