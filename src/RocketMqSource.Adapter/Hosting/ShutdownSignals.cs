using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace RocketMqSource.Adapter.Hosting;

/// <summary>
/// SIGTERM, SIGINT and SIGQUIT, listened for from the first line of Main rather than once the host
/// starts (Kubernetes may delete a pod that is still starting). As the host's lifetime it replaces
/// the console lifetime, whose signal would cancel the host's start half-way (Kestrel throws
/// TaskCanceledException from its bind): the start runs to its end, then the host stops as usual.
/// </summary>
internal sealed class ShutdownSignals : IHostLifetime, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly PosixSignalRegistration[] registrations;

    private ShutdownSignals() =>
        registrations = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT }.Select(signal => PosixSignalRegistration.Create(signal, Requested))];

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Stopping => stopping.Token;

    public static ShutdownSignals Listen() => new();

    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }

        stopping.Dispose();
    }

    private void Requested(PosixSignalContext context)
    {
        // No default termination: the host stops itself and the process exits with its own code.
        context.Cancel = true;
        stopping.Cancel();
    }
}
