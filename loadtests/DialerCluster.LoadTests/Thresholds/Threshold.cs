using System.Globalization;
using System.Text.RegularExpressions;
using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Thresholds;

internal enum ThresholdMetric { Min, Mean, P50, P75, P95, P99, Max, Rps, Ok, Failed, FailPercent, Timeouts, Late, Dropped }

/// <summary><c>Factor × Metric(Scenario/Step)</c>, or the plain number <c>Factor</c> when <see cref="Metric"/> is null.</summary>
internal sealed record ThresholdTerm(double Factor, ThresholdMetric? Metric, string? Scenario, string? Step);

/// <summary>
/// A goal such as <c>p99 &lt;= 10ms</c>, <c>fail% &lt;= 1</c>, <c>rps &gt;= 500</c>, <c>p95(mixed-day/save-case) &lt; 20ms</c> or
/// <c>rps(next-case) &gt;= 0.5 * rps(baseline)</c>. A metric without a scope applies to each scenario of the run in turn;
/// a scope is a scenario (its whole-iteration row) or scenario/step. Latencies are in ms (units us, ms, s accepted),
/// rps counts ok requests per second, fail% is in percent.
/// </summary>
internal sealed partial record Threshold(string Text, ThresholdTerm Left, string Operator, ThresholdTerm Right)
{
    private static readonly Dictionary<string, ThresholdMetric> Metrics = new(StringComparer.OrdinalIgnoreCase)
    {
        ["min"] = ThresholdMetric.Min, ["mean"] = ThresholdMetric.Mean, ["p50"] = ThresholdMetric.P50,
        ["p75"] = ThresholdMetric.P75, ["p95"] = ThresholdMetric.P95, ["p99"] = ThresholdMetric.P99,
        ["max"] = ThresholdMetric.Max, ["rps"] = ThresholdMetric.Rps, ["ok"] = ThresholdMetric.Ok,
        ["failed"] = ThresholdMetric.Failed, ["fail%"] = ThresholdMetric.FailPercent, ["timeouts"] = ThresholdMetric.Timeouts,
        ["late"] = ThresholdMetric.Late, ["dropped"] = ThresholdMetric.Dropped,
    };

    public static Threshold Parse(string text)
    {
        const string field = "threshold";
        var match = ComparisonPattern().Match(text ?? string.Empty);
        if (!match.Success)
        {
            throw new BadInputException(field, $"'{text}' must compare two sides with <=, >=, < or >, e.g. \"p99 <= 10ms\"");
        }

        var left = ParseTerm(match.Groups["left"].Value, text!, out var leftUnit);
        var right = ParseTerm(match.Groups["right"].Value, text!, out var rightUnit);
        if (left.Metric is null && right.Metric is null)
        {
            throw new BadInputException(field, $"'{text}' compares two numbers; one side must be a metric ({string.Join(", ", Metrics.Keys)})");
        }

        CheckKinds(left, rightUnit, right, text!);
        CheckKinds(right, leftUnit, left, text!);
        return new Threshold(text!.Trim(), left, match.Groups["op"].Value, right);
    }

    public IEnumerable<ThresholdTerm> MetricTerms => new[] { Left, Right }.Where(t => t.Metric is not null);

    internal static bool IsLatency(ThresholdMetric metric) => metric <= ThresholdMetric.Max;

    private static ThresholdTerm ParseTerm(string side, string text, out string? unit)
    {
        unit = null;
        var literal = LiteralPattern().Match(side);
        if (literal.Success)
        {
            var number = double.Parse(literal.Groups["number"].Value, CultureInfo.InvariantCulture);
            unit = literal.Groups["unit"].Success ? literal.Groups["unit"].Value : null;
            var toMs = unit switch { "us" or "µs" => 0.001, "s" => 1000, _ => 1 };
            return new ThresholdTerm(number * toMs, null, null, null);
        }

        var reference = MetricPattern().Match(side);
        if (!reference.Success || !Metrics.TryGetValue(reference.Groups["metric"].Value, out var metric))
        {
            throw new BadInputException("threshold", $"'{side}' in '{text}' is neither a number (10, 10ms, 1%) nor a metric ({string.Join(", ", Metrics.Keys)}), optionally scaled (0.5 * rps(baseline))");
        }

        var factor = reference.Groups["factor"].Success ? double.Parse(reference.Groups["factor"].Value, CultureInfo.InvariantCulture) : 1;
        string? scenario = null, step = null;
        if (reference.Groups["scope"].Success)
        {
            var scope = reference.Groups["scope"].Value.Split('/', StringSplitOptions.TrimEntries);
            if (scope.Length > 2 || scope.Any(string.IsNullOrEmpty))
            {
                throw new BadInputException("threshold", $"scope '({reference.Groups["scope"].Value})' in '{text}' must be (scenario) or (scenario/step)");
            }

            scenario = scope[0];
            step = scope.Length == 2 ? scope[1] : null;
        }

        return new ThresholdTerm(factor, metric, scenario, step);
    }

    private static void CheckKinds(ThresholdTerm term, string? otherUnit, ThresholdTerm other, string text)
    {
        if (term.Metric is not { } metric)
        {
            return;
        }

        if (otherUnit is "us" or "µs" or "ms" or "s" && !IsLatency(metric))
        {
            throw new BadInputException("threshold", $"'{text}' gives a duration for {metric}, which is not a latency");
        }

        if (otherUnit is "%" && metric != ThresholdMetric.FailPercent)
        {
            throw new BadInputException("threshold", $"'{text}' gives a percentage for {metric}; only fail% is a percentage");
        }

        if (other.Metric is { } otherMetric && IsLatency(metric) != IsLatency(otherMetric))
        {
            throw new BadInputException("threshold", $"'{text}' compares a latency with something that is not");
        }
    }

    [GeneratedRegex(@"^\s*(?<left>.+?)\s*(?<op><=|>=|<|>)\s*(?<right>.+?)\s*$")]
    private static partial Regex ComparisonPattern();

    [GeneratedRegex(@"^(?<number>[0-9]*\.?[0-9]+)\s*(?<unit>us|µs|ms|s|%)?$")]
    private static partial Regex LiteralPattern();

    [GeneratedRegex(@"^(?:(?<factor>[0-9]*\.?[0-9]+)\s*\*\s*)?(?<metric>[A-Za-z][A-Za-z0-9]*%?)\s*(?:\((?<scope>[^()]*)\))?$")]
    private static partial Regex MetricPattern();
}
