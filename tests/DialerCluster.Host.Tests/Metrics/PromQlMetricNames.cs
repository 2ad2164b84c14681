namespace DialerCluster.Host.Tests.Metrics;

/// <summary>
/// The metric names a PromQL expression selects: identifiers that are not functions, aggregations, keywords,
/// label names (inside braces or grouping lists), durations, numbers or strings.
/// </summary>
internal static class PromQlMetricNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2",

        // Aggregation operators may be followed by a grouping clause instead of '(': sum by (le) (...).
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio",
    };

    private static readonly HashSet<string> Grouping = new(StringComparer.OrdinalIgnoreCase)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    public static IReadOnlyList<string> Extract(string expression)
    {
        var names = new List<string>();
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(expression, i);
            }
            else if (c == '{')
            {
                i = SkipTo(expression, i, '}');
            }
            else if (c == '[')
            {
                i = SkipTo(expression, i, ']');
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < expression.Length && char.IsAsciiDigit(expression[i + 1])))
            {
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] is '.' or '_'))
                {
                    i++;
                }
            }
            else if (char.IsAsciiLetter(c) || c is '_' or ':')
            {
                var start = i;
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] is '_' or ':'))
                {
                    i++;
                }

                var word = expression[start..i];
                var next = i;
                while (next < expression.Length && char.IsWhiteSpace(expression[next]))
                {
                    next++;
                }

                var callsOrGroups = next < expression.Length && expression[next] == '(';
                if (callsOrGroups && Grouping.Contains(word))
                {
                    i = SkipTo(expression, next, ')');
                }
                else if (!callsOrGroups && !Keywords.Contains(word))
                {
                    names.Add(word);
                }
            }
            else
            {
                i++;
            }
        }

        return names;
    }

    private static int SkipString(string expression, int start)
    {
        var quote = expression[start];
        var i = start + 1;
        while (i < expression.Length && expression[i] != quote)
        {
            i += expression[i] == '\\' && quote != '`' ? 2 : 1;
        }

        return i + 1;
    }

    private static int SkipTo(string expression, int start, char close)
    {
        var i = start + 1;
        while (i < expression.Length && expression[i] != close)
        {
            i = expression[i] is '"' or '\'' or '`' ? SkipString(expression, i) : i + 1;
        }

        return i + 1;
    }
}
