using System.Globalization;
using System.Text;

namespace RocketMqSource.Emulator.Filters;

internal enum SqlTokenKind
{
    Identifier,
    String,
    Number,
    Keyword,
    Operator,
    LeftParen,
    RightParen,
    Comma,
    End,
}

internal readonly record struct SqlToken(SqlTokenKind Kind, string Text, object? Value = null)
{
    public bool IsKeyword(string keyword) =>
        Kind == SqlTokenKind.Keyword && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Splits a RocketMQ SQL92 filter into tokens; keywords are case-insensitive.</summary>
internal static class Sql92Lexer
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "AND", "OR", "NOT", "IS", "NULL", "BETWEEN", "IN", "TRUE", "FALSE",
    };

    public static List<SqlToken> Tokenize(string text)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(')
            {
                tokens.Add(new SqlToken(SqlTokenKind.LeftParen, "("));
                i++;
            }
            else if (c == ')')
            {
                tokens.Add(new SqlToken(SqlTokenKind.RightParen, ")"));
                i++;
            }
            else if (c == ',')
            {
                tokens.Add(new SqlToken(SqlTokenKind.Comma, ","));
                i++;
            }
            else if (c == '\'')
            {
                tokens.Add(ReadString(text, ref i));
            }
            else if (char.IsDigit(c) || (c is '-' or '+' or '.' && i + 1 < text.Length && (char.IsDigit(text[i + 1]) || text[i + 1] == '.')))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (char.IsLetter(c) || c is '_' or '$')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '$'))
                {
                    i++;
                }

                var word = text[start..i];
                tokens.Add(new SqlToken(Keywords.Contains(word) ? SqlTokenKind.Keyword : SqlTokenKind.Identifier, word));
            }
            else
            {
                tokens.Add(ReadOperator(text, ref i));
            }
        }

        tokens.Add(new SqlToken(SqlTokenKind.End, "<end>"));
        return tokens;
    }

    private static SqlToken ReadString(string text, ref int i)
    {
        var builder = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
            {
                throw new FilterExpressionException("unterminated string literal");
            }

            if (text[i] == '\'')
            {
                // '' inside a literal is an escaped quote.
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    builder.Append('\'');
                    i += 2;
                    continue;
                }

                i++;
                return new SqlToken(SqlTokenKind.String, builder.ToString(), builder.ToString());
            }

            builder.Append(text[i++]);
        }
    }

    private static SqlToken ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] is '-' or '+')
        {
            i++;
        }

        while (i < text.Length && (char.IsDigit(text[i]) || text[i] is '.' or 'e' or 'E'
            || (text[i] is '-' or '+' && text[i - 1] is 'e' or 'E')))
        {
            i++;
        }

        // Java-style long/float suffixes are accepted and ignored.
        if (i < text.Length && text[i] is 'L' or 'l' or 'D' or 'd' or 'F' or 'f')
        {
            i++;
        }

        var literal = text[start..i].TrimEnd('L', 'l', 'D', 'd', 'F', 'f');
        if (long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return new SqlToken(SqlTokenKind.Number, literal, whole);
        }

        if (double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return new SqlToken(SqlTokenKind.Number, literal, real);
        }

        throw new FilterExpressionException($"bad number literal '{literal}'");
    }

    private static SqlToken ReadOperator(string text, ref int i)
    {
        string[] operators = ["<>", ">=", "<=", "!=", "=", ">", "<"];
        foreach (var op in operators)
        {
            if (string.CompareOrdinal(text, i, op, 0, op.Length) == 0)
            {
                i += op.Length;
                return new SqlToken(SqlTokenKind.Operator, op == "!=" ? "<>" : op);
            }
        }

        throw new FilterExpressionException($"unexpected character '{text[i]}' at position {i}");
    }
}
