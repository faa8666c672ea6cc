using RocketMqSource.RocketMq;
using RocketMqSource.RocketMq.Clients;

namespace FoodDelivery.LocalRun.Preflight;

/// <summary>
/// Before a run against <c>--endpoints</c>: one route query for the topic, as the adapter's
/// consumer sends first. A wrong address, key or topic becomes one line naming the cause.
/// </summary>
internal static class ProxyCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Null when the proxy routes the topic; otherwise why the run cannot use it.</summary>
    public static async Task<string?> ProblemAsync(LocalRunOptions options, CancellationToken cancellationToken)
    {
        var config = new ClientConfig.Builder()
            .SetEndpoints(options.Endpoints!)
            .EnableSsl(false)
            .SetRequestTimeout(Timeout);
        if (!string.IsNullOrEmpty(options.AccessKey) && !string.IsNullOrEmpty(options.SecretKey))
        {
            config.SetCredentialsProvider(new StaticSessionCredentialsProvider(options.AccessKey, options.SecretKey));
        }

        try
        {
            await TopicRouteCheck.QueryAsync(config.Build(), options.Topic, cancellationToken);
            return null;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return $"cannot reach RocketMQ at {options.Endpoints}: {e.TransportCause ?? (e.IsDeadlineExceeded ? "no answer before the deadline" : e.Detail)}";
        }
        catch (ClientException e)
        {
            return $"RocketMQ at {options.Endpoints} refused topic {options.Topic}: {e.CodeName} ({e.ResponseCode}) {e.ServerMessage}";
        }
        catch (ArgumentException e)
        {
            return $"--endpoints {options.Endpoints}: {e.Message}";
        }
    }
}
