using RocketMqSource.RocketMq.Internal;
using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Clients;

/// <summary>
/// One QueryRoute for a topic, exactly as a consumer sends it first when it starts: it proves the
/// proxy answers, accepts the credentials and knows the topic, without opening a session.
/// </summary>
public static class TopicRouteCheck
{
    /// <summary>
    /// Returns the number of queues the proxy routes for <paramref name="topic"/>. Throws
    /// <see cref="RpcException"/> when no proxy address could be reached (see
    /// <see cref="RpcException.TransportCause"/>) and a <see cref="ClientException"/> subclass when
    /// the proxy refused the request (40100 unauthorized, 40300 forbidden, 40402 topic not found …).
    /// </summary>
    public static async Task<int> QueryAsync(ClientConfig config, string topic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        using var rpc = new MessagingRpc(config, ClientIdentity.NewClientId());
        var request = new QueryRouteRequest
        {
            Topic = ProtocolConversions.Resource(config.Namespace, topic),
            Endpoints = config.AccessPoint.ToProtocol(),
        };
        var addresses = config.AccessPoint.Addresses;
        for (var i = 0; ; i++)
        {
            try
            {
                var result = await rpc.QueryRouteAsync(addresses[i], request, cancellationToken).ConfigureAwait(false);
                StatusMapper.ThrowIfNotOk(result.Response.Status, result.RequestId);
                return result.Response.MessageQueues.Count;
            }
            catch (RpcException exception) when (exception.IsUnavailable && i + 1 < addresses.Count)
            {
                // Next address, as the clients do.
            }
        }
    }
}
