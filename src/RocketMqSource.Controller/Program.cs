using k8s;
using RocketMqSource.Controller.Hosting;

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

// The official client's rules: $KUBECONFIG, else ~/.kube/config, else the pod's service account.
using var client = new Kubernetes(KubernetesClientConfiguration.BuildDefaultConfig());
var app = ControllerHost.Build(options, client);
await app.RunAsync().ConfigureAwait(false);
return 0;
