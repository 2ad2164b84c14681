using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Tests.Thresholds;

public sealed class ThresholdTests
{
    [Theory]
    [InlineData("p99 <= 10ms", "P99", null, null, "<=", 10)]
    [InlineData("p99<=500us", "P99", null, null, "<=", 0.5)]
    [InlineData("max < 1.5s", "Max", null, null, "<", 1500)]
    [InlineData("p95 <= 20", "P95", null, null, "<=", 20)]
    [InlineData("fail% <= 1", "FailPercent", null, null, "<=", 1)]
    [InlineData("fail% <= 0.5%", "FailPercent", null, null, "<=", 0.5)]
    [InlineData("rps >= 5000", "Rps", null, null, ">=", 5000)]
    [InlineData("dropped <= 0", "Dropped", null, null, "<=", 0)]
    [InlineData("p95(mixed-day/save-case) > 2ms", "P95", "mixed-day", "save-case", ">", 2)]
    [InlineData("RPS(baseline) >= 100", "Rps", "baseline", null, ">=", 100)]
    public void A_threshold_against_a_number_parses_into_metric_scope_and_limit(string text, string metric, string? scenario, string? step, string op, double limit)
    {
        var threshold = Threshold.Parse(text);

        Assert.Equal(new ThresholdTerm(1, Enum.Parse<ThresholdMetric>(metric), scenario, step), threshold.Left);
        Assert.Equal(op, threshold.Operator);
        Assert.Null(threshold.Right.Metric);
        Assert.Equal(limit, threshold.Right.Factor, precision: 9);
    }

    [Fact]
    public void A_ratio_threshold_scales_the_metric_of_another_scenario()
    {
        var threshold = Threshold.Parse("rps(next-case) >= 0.5 * rps(baseline)");

        Assert.Equal(new ThresholdTerm(1, ThresholdMetric.Rps, "next-case", null), threshold.Left);
        Assert.Equal(new ThresholdTerm(0.5, ThresholdMetric.Rps, "baseline", null), threshold.Right);
    }

    [Theory]
    [InlineData("p99 = 10ms")]
    [InlineData("p99 <= fast")]
    [InlineData("p98 <= 10ms")]
    [InlineData("10 <= 20")]
    [InlineData("rps >= 10ms")]
    [InlineData("p99 <= 5%")]
    [InlineData("p99 >= rps")]
    [InlineData("p99(a/b/c) <= 1ms")]
    [InlineData("p99() <= 1ms")]
    [InlineData("")]
    public void A_malformed_threshold_is_refused_with_the_reason(string text)
    {
        var error = Assert.Throws<BadInputException>(() => Threshold.Parse(text));

        Assert.Equal("threshold", error.Field);
    }

    [Theory]
    [InlineData("p99 <= 10ms", 9.9, true)]
    [InlineData("p99 <= 10ms", 10, true)]
    [InlineData("p99 <= 10ms", 10.1, false)]
    [InlineData("p99 < 10ms", 10, false)]
    [InlineData("rps >= 500", 500, true)]
    [InlineData("rps > 500", 500, false)]
    public void A_threshold_passes_exactly_when_the_comparison_holds(string text, double value, bool passes)
    {
        var report = Report("baseline", rps: value, p99: value);

        var outcome = Assert.Single(ThresholdEvaluator.Evaluate([Threshold.Parse(text)], [report]));

        Assert.Equal(passes, outcome.Passed);
        Assert.StartsWith(passes ? "PASS" : "FAIL", outcome.ToString());
    }

    [Theory]
    [InlineData(600, 1000, true)]
    [InlineData(500, 1000, true)]
    [InlineData(499, 1000, false)]
    public void Next_case_must_reach_half_the_baseline_throughput(double nextCaseRps, double baselineRps, bool passes)
    {
        var threshold = Threshold.Parse("rps(next-case) >= 0.5 * rps(baseline)");

        var outcome = Assert.Single(ThresholdEvaluator.Evaluate([threshold], [Report("baseline", baselineRps), Report("next-case", nextCaseRps)]));

        Assert.Equal(passes, outcome.Passed);
        Assert.Equal(nextCaseRps, outcome.Left);
        Assert.Equal(baselineRps / 2, outcome.Right);
        Assert.Equal("next-case, baseline", outcome.Scope);
    }

    [Fact]
    public void A_threshold_without_a_scope_is_judged_for_every_scenario_of_the_run()
    {
        var outcomes = ThresholdEvaluator.Evaluate([Threshold.Parse("fail% <= 1")], [Report("a", failPercent: 0.5), Report("b", failPercent: 2)]);

        Assert.Equal([("a", true), ("b", false)], outcomes.Select(o => (o.Scope, o.Passed)));
    }

    [Fact]
    public void A_step_scope_reads_that_step_row()
    {
        var report = Report("day", p99: 50) with { Steps = [Row("save-case", p99: 3)] };

        var outcome = Assert.Single(ThresholdEvaluator.Evaluate([Threshold.Parse("p99(day/save-case) <= 5ms")], [report]));

        Assert.True(outcome.Passed);
        Assert.Equal(3, outcome.Left);
    }

    [Fact]
    public void A_scenario_that_recorded_nothing_fails_every_threshold_reading_it()
    {
        var outcome = Assert.Single(ThresholdEvaluator.Evaluate([Threshold.Parse("p99 <= 10ms")], [Report("empty", requests: 0)]));

        Assert.False(outcome.Passed);
        Assert.Contains("no requests", outcome.Problem);
    }

    [Fact]
    public void Thresholds_naming_unknown_scenarios_or_steps_are_refused_before_the_run()
    {
        Scenario[] scenarios = [new("baseline", [new ScenarioStep("get", _ => Task.FromResult(StepResult.Ok()))])];

        var scenarioError = Assert.Throws<BadInputException>(() => ThresholdEvaluator.Validate([Threshold.Parse("rps(storm) >= 1")], scenarios));
        var stepError = Assert.Throws<BadInputException>(() => ThresholdEvaluator.Validate([Threshold.Parse("p99(baseline/post) <= 1ms")], scenarios));

        Assert.Contains("'storm'", scenarioError.Message);
        Assert.Contains("'post'", stepError.Message);
        ThresholdEvaluator.Validate([Threshold.Parse("p99(baseline/get) <= 1ms")], scenarios);
    }

    private static ScenarioReport Report(string name, double rps = 100, double p99 = 1, double failPercent = 0, long requests = 100) =>
        new(name, "inject", TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(5), 100, 0, 0, null,
            Row(ScenarioReport.TotalRowName, rps, p99, failPercent, requests), []);

    private static StepReport Row(string step, double rps = 100, double p99 = 1, double failPercent = 0, long requests = 100) =>
        new(step, requests, 0, 0, failPercent, rps, new LatencySummary(0, 0, 0, 0, 0, p99, p99), new Dictionary<int, long>(), new Dictionary<string, long>(), 0);
}
