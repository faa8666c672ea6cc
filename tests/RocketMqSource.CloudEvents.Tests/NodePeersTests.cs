using System.Text.Json;
using RocketMqSource.Testing;

namespace RocketMqSource.CloudEvents.Tests;

public class NodePeersTests
{
    [Fact]
    public async Task The_build_installs_the_pinned_official_peers()
    {
        var result = (await NodePeer.RunAsync("peers-installed.mjs")).EnsureSuccess();

        var versions = JsonSerializer.Deserialize<Dictionary<string, string>>(result.StandardOutput)!;
        Assert.Equal("10.0.0", versions["cloudevents"]);
        Assert.Equal("1.0.8", versions["rocketmq-client-nodejs"]);
    }
}
