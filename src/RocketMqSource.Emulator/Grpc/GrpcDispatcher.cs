using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using RocketMqSource.Emulator.Broker;
using RocketMqSource.RocketMq.Protocol;
using RocketMqSource.RocketMq.Transport;

namespace RocketMqSource.Emulator.Grpc;

/// <summary>
/// Serves POST /apache.rocketmq.v2.MessagingService/&lt;Method&gt; over HTTP/2: reads
/// length-prefixed request frames, calls the proxy service, writes response frames and the
/// grpc-status / grpc-message trailers. Unknown methods end with UNIMPLEMENTED.
/// </summary>
internal sealed class GrpcDispatcher(ProxyService service, CancellationToken stopping)
{
    public const string ServicePrefix = "/apache.rocketmq.v2.MessagingService/";

    private const int StatusOk = 0;
    private const int StatusInvalidArgument = 3;
    private const int StatusInternal = 13;
    private const int StatusUnimplemented = 12;
    private const int StatusUnauthenticated = 16;

    public async Task HandleAsync(HttpContext http)
    {
        var method = http.Request.Path.Value![ServicePrefix.Length..];
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/grpc";
        var context = GrpcMetadata.ToCallContext(http.Request, service.Broker.Clock.GetUtcNow());
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        try
        {
            var status = method switch
            {
                "QueryRoute" => await UnaryAsync(http, QueryRouteRequest.Parser, request => service.QueryRoute(context, request), abort.Token),
                "Heartbeat" => await UnaryAsync(http, HeartbeatRequest.Parser, request => service.Heartbeat(context, request), abort.Token),
                "SendMessage" => await UnaryAsync(http, SendMessageRequest.Parser, request => service.SendMessage(context, request), abort.Token),
                "AckMessage" => await UnaryAsync(http, AckMessageRequest.Parser, request => service.AckMessage(context, request), abort.Token),
                "ChangeInvisibleDuration" => await UnaryAsync(http, ChangeInvisibleDurationRequest.Parser, request => service.ChangeInvisibleDuration(context, request), abort.Token),
                "ForwardMessageToDeadLetterQueue" => await UnaryAsync(http, ForwardMessageToDeadLetterQueueRequest.Parser, request => service.ForwardMessageToDeadLetterQueue(context, request), abort.Token),
                "NotifyClientTermination" => await UnaryAsync(http, NotifyClientTerminationRequest.Parser, request => service.NotifyClientTermination(context, request), abort.Token),
                "QueryAssignment" => await UnaryAsync(http, QueryAssignmentRequest.Parser, request => service.QueryAssignment(context, request), abort.Token),
                "ReceiveMessage" => await ReceiveAsync(http, context, abort.Token),
                "Telemetry" => await TelemetryAsync(http, context, abort.Token),
                _ => (StatusUnimplemented, $"method {method} is not implemented by the RocketMQ emulator"),
            };
            Finish(http, status.Item1, status.Item2);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException)
        {
            Finish(http, StatusInternal, "malformed request message: " + e.Message);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away or the emulator is stopping: nothing left to answer.
            if (!http.RequestAborted.IsCancellationRequested)
            {
                Finish(http, StatusOk, string.Empty);
            }
        }
    }

    private static async Task<(int, string)> UnaryAsync<TRequest>(
        HttpContext http, MessageParser<TRequest> parser, Func<TRequest, IMessage> handler, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        var request = await GrpcFraming.ReadAsync(http.Request.Body, parser, cancellationToken: cancellationToken);
        if (request is null)
        {
            return (StatusInternal, "request message missing");
        }

        GrpcFraming.Write(http.Response.BodyWriter, handler(request));
        await http.Response.BodyWriter.FlushAsync(cancellationToken);
        return (StatusOk, string.Empty);
    }

    private async Task<(int, string)> ReceiveAsync(HttpContext http, CallContext context, CancellationToken cancellationToken)
    {
        var request = await GrpcFraming.ReadAsync(http.Request.Body, ReceiveMessageRequest.Parser, cancellationToken: cancellationToken);
        if (request is null)
        {
            return (StatusInternal, "request message missing");
        }

        foreach (var response in await service.ReceiveMessageAsync(context, request, cancellationToken))
        {
            GrpcFraming.Write(http.Response.BodyWriter, response);
        }

        await http.Response.BodyWriter.FlushAsync(cancellationToken);
        return (StatusOk, string.Empty);
    }

    private async Task<(int, string)> TelemetryAsync(HttpContext http, CallContext context, CancellationToken cancellationToken)
    {
        if (service.Admit(context) is { } refused)
        {
            var code = refused.Code == Code.Unauthorized ? StatusUnauthenticated : StatusInvalidArgument;
            return (code, $"{refused.Code}: {refused.Message}");
        }

        // Headers go out at once so the client sees an open stream before its first command.
        await http.Response.StartAsync(cancellationToken);
        await http.Response.BodyWriter.FlushAsync(cancellationToken);
        while (await GrpcFraming.ReadAsync(http.Request.Body, TelemetryCommand.Parser, cancellationToken: cancellationToken) is { } command)
        {
            if (service.Telemetry(context, command) is { } reply)
            {
                GrpcFraming.Write(http.Response.BodyWriter, reply);
                await http.Response.BodyWriter.FlushAsync(cancellationToken);
            }
        }

        return (StatusOk, string.Empty);
    }

    private static void Finish(HttpContext http, int status, string message)
    {
        http.Response.AppendTrailer("grpc-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message.Length > 0)
        {
            http.Response.AppendTrailer("grpc-message", Uri.EscapeDataString(message));
        }
    }
}
