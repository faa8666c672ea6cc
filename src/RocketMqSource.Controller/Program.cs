using RocketMqSource.Controller.Api;
using RocketMqSource.Controller.Hosting;
using RocketMqSource.Kubernetes;

ControllerOptions options;
try
{
    options = ControllerOptions.FromEnvironment(Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"rocketmqsource-controller: {e.Message}").ConfigureAwait(false);
    return 1;
}

using var client = new KubernetesClient(KubernetesClientConfiguration.BuildDefaultConfig(), ControllerJsonContext.Default);
var app = ControllerHost.Build(options, client);
await app.RunAsync().ConfigureAwait(false);
return 0;
