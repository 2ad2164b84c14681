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

    public static IReadOnlyList<ThresholdOutcome> Evaluate(IEnumerable<Threshold> thresholds, IReadOnlyList<ScenarioReport> reports)
    {
        var outcomes = new List<ThresholdOutcome>();
        foreach (var threshold in thresholds)
        {
            if (threshold.MetricTerms.Any(t => t.Scenario is null))
            {
                outcomes.AddRange(reports.Select(r => Evaluate(threshold, reports, r.Scenario)));
            }
            else
            {
                outcomes.Add(Evaluate(threshold, reports, null));
            }
        }

        return outcomes;
    }

    private static ThresholdOutcome Evaluate(Threshold threshold, IReadOnlyList<ScenarioReport> reports, string? defaultScenario)
    {
        var scope = defaultScenario ?? string.Join(", ", threshold.MetricTerms.Select(t => t.Scenario).Distinct(StringComparer.OrdinalIgnoreCase));
        var left = ValueOf(threshold.Left, reports, defaultScenario);
        var right = ValueOf(threshold.Right, reports, defaultScenario);
        if ((left.Problem ?? right.Problem) is { } problem)
        {
            return new ThresholdOutcome(threshold.Text, scope, false, left.Value, right.Value, problem);
        }

        var passed = threshold.Operator switch
        {
            "<=" => left.Value <= right.Value,
            ">=" => left.Value >= right.Value,
            "<" => left.Value < right.Value,
            _ => left.Value > right.Value,
        };
        return new ThresholdOutcome(threshold.Text, scope, passed, left.Value, right.Value, null);
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
