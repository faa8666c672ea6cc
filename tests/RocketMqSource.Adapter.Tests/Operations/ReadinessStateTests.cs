using System.Text.Json;
using RocketMqSource.Adapter.Operations;

namespace RocketMqSource.Adapter.Tests.Operations;

public sealed class ReadinessStateTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"termination-{Guid.NewGuid():N}.log");

    public void Dispose() => File.Delete(path);

    [Fact]
    public void The_body_names_the_blocking_reason_and_the_termination_message_keeps_it_until_consuming_works()
    {
        File.WriteAllText(path, string.Empty);
        var readiness = new ReadinessState(new TerminationMessage(path));
        Assert.Equal("""{"ready":false,"reason":"connecting","message":"starting the RocketMQ consumer"}""", readiness.ToJson());

        readiness.Blocked("unauthorized", "10.0.0.5:8081: UNAUTHORIZED (40100) signature verification failed");

        Assert.False(readiness.IsReady);
        var body = JsonDocument.Parse(readiness.ToJson()).RootElement;
        Assert.Equal("unauthorized", body.GetProperty("reason").GetString());
        Assert.Equal("unauthorized: 10.0.0.5:8081: UNAUTHORIZED (40100) signature verification failed", File.ReadAllText(path));

        readiness.ConsumingStarted();
        Assert.Equal("""{"ready":true}""", readiness.ToJson());
        Assert.Equal(string.Empty, File.ReadAllText(path));

        readiness.StopRequested();
        Assert.Equal("""{"ready":false,"reason":"stopping","message":"shutting down"}""", readiness.ToJson());
    }

    [Fact]
    public void The_path_comes_from_the_environment_and_defaults_to_the_kubelet_s()
    {
        Assert.Equal("/dev/termination-log", TerminationMessage.FromEnvironment(_ => null).Path);
        Assert.Equal(path, TerminationMessage.FromEnvironment(name => name == "TERMINATION_MESSAGE_PATH" ? path : null).Path);
    }
}
