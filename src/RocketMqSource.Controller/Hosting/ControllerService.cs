using Microsoft.Extensions.Hosting;

namespace RocketMqSource.Controller.Hosting;

/// <summary>Runs the controller for the lifetime of the host.</summary>
internal sealed class ControllerService(ControllerRuntime runtime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => runtime.RunAsync(stoppingToken);
}
