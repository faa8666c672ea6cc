using Grpc.Core;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>
/// The Telemetry stream to one endpoint: writes the client's settings and hands the server's
/// settings replies to the client. Reopened on the next sync when the stream broke.
/// </summary>
internal sealed class TelemetrySession : IAsyncDisposable
{
    private readonly MessagingRpc _rpc;
    private readonly EndpointAddress _endpoint;
    private readonly Action<Settings> _onSettings;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private AsyncDuplexStreamingCall<TelemetryCommand, TelemetryCommand>? _call;
    private Task? _readLoop;
    private TaskCompletionSource<Settings>? _pendingReply;

    public TelemetrySession(MessagingRpc rpc, EndpointAddress endpoint, Action<Settings> onSettings)
    {
        _rpc = rpc;
        _endpoint = endpoint;
        _onSettings = onSettings;
    }

    public EndpointAddress Endpoint => _endpoint;

    /// <summary>
    /// The stream was opened and has ended (the proxy restarted, closed it or became unreachable):
    /// the proxy may have lost this client's settings until they are written again.
    /// </summary>
    public bool IsBroken => Volatile.Read(ref _call) is not null && Volatile.Read(ref _readLoop) is { IsCompleted: true };

    /// <summary>Writes <paramref name="settings"/> and waits for the server's settings reply.</summary>
    public async Task<Settings> SyncSettingsAsync(Settings settings, TimeSpan replyTimeout, CancellationToken token)
    {
        await _gate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            var reply = new TaskCompletionSource<Settings>(TaskCreationOptions.RunContinuationsAsynchronously);
            EnsureOpen();
            Volatile.Write(ref _pendingReply, reply);
            try
            {
                await _call!.RequestStream.WriteAsync(new TelemetryCommand { Settings = settings }, token).ConfigureAwait(false);
                return await reply.Task.WaitAsync(replyTimeout, token).ConfigureAwait(false);
            }
            catch (Grpc.Core.RpcException exception)
            {
                throw RpcException.From(exception);
            }
            catch (InvalidOperationException exception) when (_readLoop is { IsCompleted: true })
            {
                // The stream ended between the check and the write; the next sync reopens it.
                throw new RpcException(GrpcStatusCode.Unavailable, $"telemetry stream to {_endpoint} ended", exception);
            }
            catch (TimeoutException exception)
            {
                throw new RpcException(GrpcStatusCode.DeadlineExceeded,
                    $"no settings reply from {_endpoint} within {replyTimeout.TotalSeconds:0.#} s", exception);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_call is not null)
            {
                await CompleteRequestsAsync(_call).ConfigureAwait(false);
                if (_readLoop is not null)
                {
                    // Give the server a moment to end the stream cleanly, then reset it.
                    await _readLoop.WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }

                _call.Dispose();
                _call = null;
            }

            await _lifetime.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
            _lifetime.Dispose();
        }
    }

    private void EnsureOpen()
    {
        if (_call is not null && _readLoop is { IsCompleted: false })
        {
            return;
        }

        _call?.Dispose();
        _call = _rpc.OpenTelemetry(_endpoint, _lifetime.Token);
        _readLoop = ReadLoopAsync(_call);
    }

    /// <summary>Half-closes the stream so the server ends it; a stream that already broke has nothing to close.</summary>
    private static async Task CompleteRequestsAsync(AsyncDuplexStreamingCall<TelemetryCommand, TelemetryCommand> call)
    {
        try
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Grpc.Core.RpcException or InvalidOperationException)
        {
            // Disposing the call below resets whatever is left.
        }
    }

    private async Task ReadLoopAsync(AsyncDuplexStreamingCall<TelemetryCommand, TelemetryCommand> call)
    {
        Exception ended = new RpcException(GrpcStatusCode.Unavailable, $"telemetry stream to {_endpoint} ended");
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                Handle(call.ResponseStream.Current);
            }
        }
        catch (Grpc.Core.RpcException exception)
        {
            ended = RpcException.From(exception);
        }
        catch (ObjectDisposedException)
        {
            // Disposed while reading: the session is closing or reopening the stream.
        }

        Volatile.Read(ref _pendingReply)?.TrySetException(ended);
    }

    private void Handle(TelemetryCommand command)
    {
        var pending = Volatile.Read(ref _pendingReply);
        if (command.Status is { } status && !StatusMapper.IsOk(status.Code))
        {
            pending?.TrySetException(StatusMapper.ToException(status.Code, status.Message));
            return;
        }

        if (command.CommandCase == TelemetryCommand.CommandOneofCase.Settings)
        {
            _onSettings(command.Settings);
            pending?.TrySetResult(command.Settings);
        }
    }
}
