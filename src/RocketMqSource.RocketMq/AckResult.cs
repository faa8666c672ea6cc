namespace RocketMqSource.RocketMq;

/// <summary>The outcome for one message of a batched acknowledgement.</summary>
public sealed class AckResult
{
    internal AckResult(MessageView message, ClientException? error)
    {
        Message = message;
        Error = error;
    }

    public MessageView Message { get; }

    /// <summary>Why this message was not acknowledged; null on success.</summary>
    public ClientException? Error { get; }

    public bool IsSuccess => Error is null;
}
