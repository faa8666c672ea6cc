using System.CommandLine;
using System.Runtime.InteropServices;
using FoodDelivery.LocalRun.Cli;

// Ctrl-C and SIGTERM cancel the run; the runner then stops the adapter child process and prints
// what it has. Handled here rather than by System.CommandLine, whose handler forces the process
// to exit after a timeout and could leave the adapter running.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
var parse = LocalRunCommand.Create(Console.Out).Parse(args);
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);

void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
