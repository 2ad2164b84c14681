using System.Globalization;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Reporting;

namespace DialerCluster.LoadTests.Thresholds;

internal static class ThresholdEvaluator
{
    /// <summary>Before the run: every scenario and step a threshold names must be in the plan.</summary>
    public static void Validate(IEnumerable<Threshold> thresholds, IReadOnlyList<Scenario> scenarios)
    {
        foreach (var threshold in thresholds)
        {
            foreach (var term in threshold.MetricTerms.Where(t => t.Scenario is not null))
            {
                var scenario = scenarios.FirstOrDefault(s => string.Equals(s.Name, term.Scenario, StringComparison.OrdinalIgnoreCase))
                    ?? throw new BadInputException("threshold", $"'{threshold.Text}' names scenario '{term.Scenario}', which is not in this run ({string.Join(", ", scenarios.Select(s => s.Name))})");
                if (term.Step is not null && !scenario.Steps.Any(s => string.Equals(s.Name, term.Step, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new BadInputException("threshold", $"'{threshold.Text}' names step '{term.Step}', which scenario '{scenario.Name}' does not have");
                }
            }
        }
    }

    /// <summary>The failure share a scenario may have before its latency and throughput figures stop meaning anything, when no fail% threshold names it.</summary>
    public const double DefaultFailLimitPercent = 1;

    /// <summary>
    /// Judges each threshold. A latency, rps or ok figure read from a scenario whose requests failed beyond that
    /// scenario's fail% threshold (the tightest one that applies to it, else <see cref="DefaultFailLimitPercent"/>) is
    /// INVALID, with the scenario's commonest error as the reason: a p99 of fast refusals is not a p99 of the work.
    /// </summary>
    public static IReadOnlyList<ThresholdOutcome> Evaluate(IEnumerable<Threshold> thresholds, IReadOnlyList<ScenarioReport> reports)
    {
        var all = thresholds.ToList();
        var outcomes = new List<ThresholdOutcome>();
        foreach (var threshold in all)
        {
            if (threshold.MetricTerms.Any(t => t.Scenario is null))
            {
                outcomes.AddRange(reports.Select(r => Evaluate(threshold, all, reports, r.Scenario)));
            }
            else
            {
                outcomes.Add(Evaluate(threshold, all, reports, null));
            }
        }

        return outcomes;
    }

    /// <summary>The fail% a scenario may reach: the tightest "fail% &lt;= n" (or &lt; n) that applies to it.</summary>
    public static double FailLimitOf(string scenario, IEnumerable<Threshold> thresholds)
    {
        var limit = double.PositiveInfinity;
        foreach (var threshold in thresholds)
        {
            if (threshold.Left is { Metric: ThresholdMetric.FailPercent, Step: null } left
                && threshold.Right.Metric is null
                && threshold.Operator is "<=" or "<"
                && (left.Scenario is null || string.Equals(left.Scenario, scenario, StringComparison.OrdinalIgnoreCase)))
            {
                limit = Math.Min(limit, threshold.Right.Factor / left.Factor);
            }
        }

        return double.IsPositiveInfinity(limit) ? DefaultFailLimitPercent : limit;
    }

    /// <summary>Why figures measured on <paramref name="report"/> cannot be judged, or null when they can.</summary>
    public static string? Invalidity(ScenarioReport report, double failLimitPercent)
    {
        var total = report.Total;
        if (total.Requests == 0 || total.FailPercent <= failLimitPercent)
        {
            return null;
        }

        var commonest = report.Steps.SelectMany(s => s.Errors).GroupBy(e => e.Key, StringComparer.Ordinal)
            .Select(g => (Error: g.Key, Count: g.Sum(e => e.Value))).OrderByDescending(e => e.Count).FirstOrDefault();
        var why = commonest.Error is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; mostly {commonest.Error.ReplaceLineEndings(" ")} (× {commonest.Count:N0})");
        return string.Create(
            CultureInfo.InvariantCulture, $"scenario '{report.Scenario}' failed {total.FailPercent:0.##}% of its requests, over its limit of {failLimitPercent:0.##}%{why}");
    }

    /// <summary>Failures do not invalidate a threshold about failures; they invalidate one about how fast or how much.</summary>
    private static bool NeedsSuccesses(ThresholdMetric metric) =>
        Threshold.IsLatency(metric) || metric is ThresholdMetric.Rps or ThresholdMetric.Ok;

    private static ThresholdOutcome Evaluate(Threshold threshold, IReadOnlyList<Threshold> all, IReadOnlyList<ScenarioReport> reports, string? defaultScenario)
    {
        var scope = defaultScenario ?? string.Join(", ", threshold.MetricTerms.Select(t => t.Scenario).Distinct(StringComparer.OrdinalIgnoreCase));
        var left = ValueOf(threshold.Left, reports, defaultScenario);
        var right = ValueOf(threshold.Right, reports, defaultScenario);
        if ((left.Problem ?? right.Problem) is { } problem)
        {
            return new ThresholdOutcome(threshold.Text, scope, ThresholdVerdict.Fail, left.Value, right.Value, problem);
        }

        var invalid = threshold.MetricTerms
            .Where(t => NeedsSuccesses(t.Metric!.Value))
            .Select(t => t.Scenario ?? defaultScenario)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => reports.First(r => string.Equals(r.Scenario, name, StringComparison.OrdinalIgnoreCase)))
            .Select(report => Invalidity(report, FailLimitOf(report.Scenario, all)))
            .FirstOrDefault(why => why is not null);
        if (invalid is not null)
        {
            return new ThresholdOutcome(threshold.Text, scope, ThresholdVerdict.Invalid, left.Value, right.Value, invalid);
        }

        var passed = threshold.Operator switch
        {
            "<=" => left.Value <= right.Value,
            ">=" => left.Value >= right.Value,
            "<" => left.Value < right.Value,
            _ => left.Value > right.Value,
        };
        return new ThresholdOutcome(threshold.Text, scope, passed ? ThresholdVerdict.Pass : ThresholdVerdict.Fail, left.Value, right.Value, null);
    }

    private static (double Value, string? Problem) ValueOf(ThresholdTerm term, IReadOnlyList<ScenarioReport> reports, string? defaultScenario)
    {
        if (term.Metric is not { } metric)
        {
            return (term.Factor, null);
        }

        var name = term.Scenario ?? defaultScenario;
        var report = reports.FirstOrDefault(r => string.Equals(r.Scenario, name, StringComparison.OrdinalIgnoreCase));
        if (report is null)
        {
            return (double.NaN, $"scenario '{name}' was not run");
        }

        var row = term.Step is null ? report.Total : report.Steps.FirstOrDefault(s => string.Equals(s.Step, term.Step, StringComparison.OrdinalIgnoreCase));
        if (row is null)
        {
            return (double.NaN, $"scenario '{name}' has no step '{term.Step}'");
        }

        // A goal met by doing nothing is not met: an empty row fails every threshold that reads it.
        if (row.Requests == 0)
        {
            return (double.NaN, $"no requests were recorded for {name}{(term.Step is null ? string.Empty : "/" + term.Step)}");
        }

        var value = metric switch
        {
            ThresholdMetric.Min => row.Latency.MinMs,
            ThresholdMetric.Mean => row.Latency.MeanMs,
            ThresholdMetric.P50 => row.Latency.P50Ms,
            ThresholdMetric.P75 => row.Latency.P75Ms,
            ThresholdMetric.P95 => row.Latency.P95Ms,
            ThresholdMetric.P99 => row.Latency.P99Ms,
            ThresholdMetric.Max => row.Latency.MaxMs,
            ThresholdMetric.Rps => row.Rps,
            ThresholdMetric.Ok => row.Ok,
            ThresholdMetric.Failed => row.Failed,
            ThresholdMetric.FailPercent => row.FailPercent,
            ThresholdMetric.Timeouts => row.Timeouts,
            ThresholdMetric.Late => report.LateStarts,
            _ => report.Dropped,
        };
        return (term.Factor * value, null);
    }
}
