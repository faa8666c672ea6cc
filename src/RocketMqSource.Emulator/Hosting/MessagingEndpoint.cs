using Grpc.Core;
using RocketMqSource.Emulator.Broker;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Signing;
using GrpcStatus = Grpc.Core.Status;

namespace RocketMqSource.Emulator.Hosting;

/// <summary>
/// apache.rocketmq.v2.MessagingService on Grpc.AspNetCore: reads the RocketMQ metadata and the
/// deadline of each call into a <see cref="CallContext"/> and hands the request to the
/// <see cref="ProxyService"/>, which answers with in-band statuses as the proxy does.
/// Methods the proxy service does not implement end with UNIMPLEMENTED (Grpc.AspNetCore's answer).
/// </summary>
internal sealed class MessagingEndpoint(ProxyService service, CancellationToken stopping) : MessagingService.MessagingServiceBase
{
    public override Task<QueryRouteResponse> QueryRoute(QueryRouteRequest request, ServerCallContext context) =>
        Task.FromResult(service.QueryRoute(CallContextOf(context), request));

    public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context) =>
        Task.FromResult(service.Heartbeat(CallContextOf(context), request));

    public override Task<SendMessageResponse> SendMessage(SendMessageRequest request, ServerCallContext context) =>
        Task.FromResult(service.SendMessage(CallContextOf(context), request));

    public override Task<QueryAssignmentResponse> QueryAssignment(QueryAssignmentRequest request, ServerCallContext context) =>
        Task.FromResult(service.QueryAssignment(CallContextOf(context), request));

    public override Task<AckMessageResponse> AckMessage(AckMessageRequest request, ServerCallContext context) =>
        Task.FromResult(service.AckMessage(CallContextOf(context), request));

    public override Task<ForwardMessageToDeadLetterQueueResponse> ForwardMessageToDeadLetterQueue(
        ForwardMessageToDeadLetterQueueRequest request, ServerCallContext context) =>
        Task.FromResult(service.ForwardMessageToDeadLetterQueue(CallContextOf(context), request));

    public override Task<NotifyClientTerminationResponse> NotifyClientTermination(NotifyClientTerminationRequest request, ServerCallContext context) =>
        Task.FromResult(service.NotifyClientTermination(CallContextOf(context), request));

    public override Task<ChangeInvisibleDurationResponse> ChangeInvisibleDuration(ChangeInvisibleDurationRequest request, ServerCallContext context) =>
        Task.FromResult(service.ChangeInvisibleDuration(CallContextOf(context), request));

    public override async Task ReceiveMessage(
        ReceiveMessageRequest request, IServerStreamWriter<ReceiveMessageResponse> responseStream, ServerCallContext context)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        IReadOnlyList<ReceiveMessageResponse> responses;
        try
        {
            responses = await service.ReceiveMessageAsync(CallContextOf(context), request, abort.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The emulator is stopping: the poll ends with nothing popped.
            return;
        }

        foreach (var response in responses)
        {
            await responseStream.WriteAsync(response, abort.Token);
        }
    }

    public override async Task Telemetry(
        IAsyncStreamReader<TelemetryCommand> requestStream, IServerStreamWriter<TelemetryCommand> responseStream, ServerCallContext context)
    {
        var call = CallContextOf(context);
        if (service.Admit(call) is { } refused)
        {
            var code = refused.Code == Code.Unauthorized ? StatusCode.Unauthenticated : StatusCode.InvalidArgument;
            throw new RpcException(new GrpcStatus(code, $"{refused.Code}: {refused.Message}"));
        }

        // Headers go out at once so the client sees an open stream before its first command.
        await context.WriteResponseHeadersAsync([]);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        try
        {
            while (await requestStream.MoveNext(abort.Token))
            {
                if (service.Telemetry(call, requestStream.Current) is { } reply)
                {
                    await responseStream.WriteAsync(reply, abort.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The emulator is stopping: the stream ends with OK and the client opens a new one later.
        }
    }

    /// <summary>The call's metadata; its deadline moved onto the broker's clock (which tests may drive).</summary>
    private CallContext CallContextOf(ServerCallContext context)
    {
        var headers = context.RequestHeaders;
        DateTimeOffset? deadline = context.Deadline == DateTime.MaxValue
            ? null
            : service.Broker.Clock.GetUtcNow() + (context.Deadline - DateTime.UtcNow);
        return new CallContext(
            headers.GetValue(RequestMetadata.ClientId),
            headers.GetValue(RequestMetadata.Authorization),
            headers.GetValue(RequestMetadata.DateTime),
            deadline);
    }
}
