namespace RocketMqSource.Emulator.Filters;

/// <summary>
/// Recursive-descent parser for RocketMQ's SQL92 filter subset: comparisons (=, &lt;&gt;, &gt;, &gt;=,
/// &lt;, &lt;=), AND, OR, NOT, parentheses, IS [NOT] NULL, [NOT] BETWEEN, [NOT] IN, and string,
/// numeric and boolean literals.
/// </summary>
internal sealed class Sql92Parser
{
    private readonly List<SqlToken> _tokens;
    private int _position;

    public Sql92Parser(string text) => _tokens = Sql92Lexer.Tokenize(text);

    private SqlToken Current => _tokens[_position];

    public SqlNode ParseExpression()
    {
        var node = ParseOr();
        if (Current.Kind != SqlTokenKind.End)
        {
            throw new FilterExpressionException($"unexpected '{Current.Text}'");
        }

        return node;
    }

    private SqlNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsKeyword("OR"))
        {
            _position++;
            left = new OrNode(left, ParseAnd());
        }

        return left;
    }

    private SqlNode ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsKeyword("AND"))
        {
            _position++;
            left = new AndNode(left, ParseNot());
        }

        return left;
    }

    private SqlNode ParseNot()
    {
        if (Current.IsKeyword("NOT"))
        {
            _position++;
            return new NotNode(ParseNot());
        }

        return ParsePredicate();
    }

    private SqlNode ParsePredicate()
    {
        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            _position++;
            var inner = ParseOr();
            Expect(SqlTokenKind.RightParen);
            return inner;
        }

        var operand = ParseOperand();
        if (Current.Kind == SqlTokenKind.Operator)
        {
            var op = Current.Text;
            _position++;
            return new ComparisonNode(op, operand, ParseOperand());
        }

        if (Current.IsKeyword("IS"))
        {
            _position++;
            var negated = Accept("NOT");
            ExpectKeyword("NULL");
            return new IsNullNode(operand, negated);
        }

        var not = Accept("NOT");
        if (Accept("BETWEEN"))
        {
            var low = ParseOperand();
            ExpectKeyword("AND");
            var high = ParseOperand();
            return Negate(new BetweenNode(operand, low, high), not);
        }

        if (Accept("IN"))
        {
            Expect(SqlTokenKind.LeftParen);
            var values = new List<SqlNode> { ParseOperand() };
            while (Current.Kind == SqlTokenKind.Comma)
            {
                _position++;
                values.Add(ParseOperand());
            }

            Expect(SqlTokenKind.RightParen);
            return Negate(new InNode(operand, values), not);
        }

        if (not)
        {
            throw new FilterExpressionException($"expected BETWEEN or IN after NOT, found '{Current.Text}'");
        }

        // A bare boolean literal or property is a predicate of its own.
        return new TruthNode(operand);
    }

    private static SqlNode Negate(SqlNode node, bool negated) => negated ? new NotNode(node) : node;

    private SqlNode ParseOperand()
    {
        var token = Current;
        _position++;
        return token.Kind switch
        {
            SqlTokenKind.Identifier => new PropertyNode(token.Text),
            SqlTokenKind.String or SqlTokenKind.Number => new LiteralNode(token.Value),
            SqlTokenKind.Keyword when token.IsKeyword("TRUE") => new LiteralNode(true),
            SqlTokenKind.Keyword when token.IsKeyword("FALSE") => new LiteralNode(false),
            SqlTokenKind.Keyword when token.IsKeyword("NULL") => new LiteralNode(null),
            _ => throw new FilterExpressionException($"expected a property or literal, found '{token.Text}'"),
        };
    }

    private bool Accept(string keyword)
    {
        if (!Current.IsKeyword(keyword))
        {
            return false;
        }

        _position++;
        return true;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!Accept(keyword))
        {
            throw new FilterExpressionException($"expected {keyword}, found '{Current.Text}'");
        }
    }

    private void Expect(SqlTokenKind kind)
    {
        if (Current.Kind != kind)
        {
            throw new FilterExpressionException($"expected {kind}, found '{Current.Text}'");
        }

        _position++;
    }
}
