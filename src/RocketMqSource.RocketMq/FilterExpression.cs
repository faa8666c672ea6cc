namespace RocketMqSource.RocketMq;

/// <summary>How a subscription selects messages.</summary>
public enum ExpressionType
{
    /// <summary>Tag list: <c>*</c> for all, or <c>TagA || TagB</c>.</summary>
    Tag,

    /// <summary>SQL92 predicate over user properties (and TAGS).</summary>
    Sql92,
}

/// <summary>A subscription's filter: a tag expression or an SQL92 predicate.</summary>
public sealed class FilterExpression
{
    public const string TagExpressionSubAll = "*";

    /// <summary>Every message of the topic.</summary>
    public static readonly FilterExpression SubAll = new(TagExpressionSubAll);

    public FilterExpression(string expression, ExpressionType type = ExpressionType.Tag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type));
        }

        Expression = expression;
        Type = type;
    }

    public string Expression { get; }

    public ExpressionType Type { get; }

    public override string ToString() => $"{Type}:{Expression}";
}
