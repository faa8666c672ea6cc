using System.Globalization;

namespace RocketMqSource.Emulator.Filters;

/// <summary>What an expression sees of a message: its tag (as TAGS) and user properties.</summary>
internal readonly record struct SqlContext(string? Tag, IReadOnlyDictionary<string, string> Properties)
{
    public string? Lookup(string name) =>
        name == "TAGS" ? Tag : Properties.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A node of a parsed filter. Predicates use SQL's three-valued logic: true, false or null
/// (unknown, e.g. a comparison with a missing property); only true selects a message.
/// </summary>
internal abstract class SqlNode
{
    public abstract object? Evaluate(SqlContext context);
}

internal sealed class PropertyNode(string name) : SqlNode
{
    public override object? Evaluate(SqlContext context) => context.Lookup(name);
}

internal sealed class LiteralNode(object? value) : SqlNode
{
    public override object? Evaluate(SqlContext context) => value;
}

internal sealed class AndNode(SqlNode left, SqlNode right) : SqlNode
{
    public override object? Evaluate(SqlContext context)
    {
        var l = SqlValues.AsBoolean(left.Evaluate(context));
        if (l is false)
        {
            return false;
        }

        var r = SqlValues.AsBoolean(right.Evaluate(context));
        return r is false ? false : l is true && r is true ? true : null;
    }
}

internal sealed class OrNode(SqlNode left, SqlNode right) : SqlNode
{
    public override object? Evaluate(SqlContext context)
    {
        var l = SqlValues.AsBoolean(left.Evaluate(context));
        if (l is true)
        {
            return true;
        }

        var r = SqlValues.AsBoolean(right.Evaluate(context));
        return r is true ? true : l is false && r is false ? false : null;
    }
}

internal sealed class NotNode(SqlNode operand) : SqlNode
{
    public override object? Evaluate(SqlContext context) =>
        SqlValues.AsBoolean(operand.Evaluate(context)) is { } value ? !value : null;
}

internal sealed class TruthNode(SqlNode operand) : SqlNode
{
    public override object? Evaluate(SqlContext context) => SqlValues.AsBoolean(operand.Evaluate(context));
}

internal sealed class IsNullNode(SqlNode operand, bool negated) : SqlNode
{
    public override object? Evaluate(SqlContext context) => (operand.Evaluate(context) is null) != negated;
}

internal sealed class ComparisonNode(string op, SqlNode left, SqlNode right) : SqlNode
{
    public override object? Evaluate(SqlContext context)
    {
        var l = left.Evaluate(context);
        var r = right.Evaluate(context);
        if (op is "=" or "<>")
        {
            return SqlValues.AreEqual(l, r) is { } equal ? equal == (op == "=") : null;
        }

        return SqlValues.Compare(l, r) is { } order
            ? op switch
            {
                ">" => order > 0,
                ">=" => order >= 0,
                "<" => order < 0,
                _ => order <= 0,
            }
            : null;
    }
}

internal sealed class BetweenNode(SqlNode operand, SqlNode low, SqlNode high) : SqlNode
{
    public override object? Evaluate(SqlContext context)
    {
        var value = operand.Evaluate(context);
        var lower = SqlValues.Compare(value, low.Evaluate(context));
        var upper = SqlValues.Compare(value, high.Evaluate(context));
        return lower is null || upper is null ? null : lower >= 0 && upper <= 0;
    }
}

internal sealed class InNode(SqlNode operand, IReadOnlyList<SqlNode> candidates) : SqlNode
{
    public override object? Evaluate(SqlContext context)
    {
        var value = operand.Evaluate(context);
        if (value is null)
        {
            return null;
        }

        return candidates.Any(candidate => SqlValues.AreEqual(value, candidate.Evaluate(context)) is true);
    }
}

/// <summary>
/// Value rules: user properties are strings, so a string meets a number by parsing it; a
/// string that is not a number is unknown against a number (no match either way).
/// </summary>
internal static class SqlValues
{
    public static bool? AsBoolean(object? value) => value switch
    {
        bool b => b,
        string s when bool.TryParse(s, out var parsed) => parsed,
        _ => null,
    };

    public static bool? AreEqual(object? left, object? right)
    {
        if (left is null || right is null)
        {
            return null;
        }

        if (left is bool || right is bool)
        {
            return AsBoolean(left) is { } l && AsBoolean(right) is { } r ? l == r : false;
        }

        if (IsNumber(left) || IsNumber(right))
        {
            return AsNumber(left) is { } l && AsNumber(right) is { } r ? l == r : false;
        }

        return string.Equals(Convert.ToString(left, CultureInfo.InvariantCulture), Convert.ToString(right, CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    public static int? Compare(object? left, object? right)
    {
        if (left is null || right is null || left is bool || right is bool)
        {
            return null;
        }

        if (IsNumber(left) || IsNumber(right))
        {
            return AsNumber(left) is { } l && AsNumber(right) is { } r ? l.CompareTo(r) : null;
        }

        return string.CompareOrdinal((string)left, (string)right);
    }

    private static bool IsNumber(object value) => value is long or double;

    private static double? AsNumber(object value) => value switch
    {
        long l => l,
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
