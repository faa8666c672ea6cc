using RocketMqSource.RocketMq.Protocol;

namespace RocketMqSource.RocketMq.Internal;

/// <summary>A topic's message queues as QueryRoute returned them, with round-robin selection.</summary>
internal sealed class TopicRoute
{
    private const int MasterBrokerId = 0;
    private int _next = -1;

    public TopicRoute(IReadOnlyList<MessageQueue> queues)
    {
        Queues = queues;
        Readable = [.. queues.Where(q => q.Permission is Permission.Read or Permission.ReadWrite && q.Broker?.Id == MasterBrokerId)];
        Writable = [.. queues.Where(q => q.Permission is Permission.Write or Permission.ReadWrite && q.Broker?.Id == MasterBrokerId)];
    }

    public IReadOnlyList<MessageQueue> Queues { get; }

    public IReadOnlyList<MessageQueue> Readable { get; }

    public IReadOnlyList<MessageQueue> Writable { get; }

    public IEnumerable<EndpointAddress> Endpoints =>
        Queues.Where(q => q.Broker?.Endpoints is not null).Select(q => EndpointAddress.FromProtocol(q.Broker.Endpoints)).Distinct();

    public MessageQueue NextReadable() => Pick(Readable, "readable");

    public MessageQueue NextWritable() => Pick(Writable, "writable");

    /// <summary>The queue for a FIFO message group: stable for the group, so its messages stay ordered.</summary>
    public MessageQueue ForMessageGroup(string group)
    {
        if (Writable.Count == 0)
        {
            throw NoQueue("writable");
        }

        var hash = 0u;
        foreach (var c in group)
        {
            hash = unchecked((hash * 31) + c);
        }

        return Writable[(int)(hash % (uint)Writable.Count)];
    }

    public bool Accepts(MessageType type) =>
        Writable.Count == 0 || Writable.Any(q => q.AcceptMessageTypes.Count == 0 || q.AcceptMessageTypes.Contains(type));

    private MessageQueue Pick(IReadOnlyList<MessageQueue> candidates, string what)
    {
        if (candidates.Count == 0)
        {
            throw NoQueue(what);
        }

        var index = (uint)Interlocked.Increment(ref _next) % (uint)candidates.Count;
        return candidates[(int)index];
    }

    private static NotFoundException NoQueue(string what) =>
        (NotFoundException)StatusMapper.ToException(Code.NotFound, $"the route has no {what} queue");
}
