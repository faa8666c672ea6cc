using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.Emulator.Broker;

internal sealed partial class ProxyService
{
    /// <summary>
    /// QueryAssignment (push consumers): in POP mode the proxy assigns the whole broker, one
    /// queue with id -1, because ReceiveMessage pops across all queues anyway.
    /// </summary>
    public QueryAssignmentResponse QueryAssignment(CallContext context, QueryAssignmentRequest request) => Guard(context, () =>
    {
        var topic = MessageValidator.Topic(request.Topic);
        MessageValidator.Group(request.Group);
        var accepted = Broker.EnsureTopic(topic);
        var endpoints = request.Endpoints is { Addresses.Count: > 0 } own ? own.Clone() : SelfEndpoints.Clone();
        var queue = new MessageQueue
        {
            Topic = new Resource { ResourceNamespace = request.Topic.ResourceNamespace, Name = topic },
            Id = -1,
            Permission = Permission.ReadWrite,
            Broker = new RocketMq.Protocol.Broker { Name = BrokerName, Id = 0, Endpoints = endpoints },
        };
        queue.AcceptMessageTypes.AddRange(accepted);
        var response = new QueryAssignmentResponse { Status = Ok() };
        response.Assignments.Add(new Assignment { MessageQueue = queue });
        return response;
    }, status => new QueryAssignmentResponse { Status = status });
}
