using DialerCluster.LoadTests.Dialer;
using DialerCluster.LoadTests.Hosting;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Scenarios;
using DialerCluster.LoadTests.Suites;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Tests.Thresholds;

/// <summary>A figure measured on failed requests is no figure: goals and thresholds on it are INVALID, never PASS (issue 15.15).</summary>
public sealed class InvalidVerdictTests
{
    private const string RanDry = "HTTP 204: the campaign ran dry (nothing eligible): size it with more cases (--cases)";

    [Fact]
    public void A_latency_threshold_on_a_scenario_failing_beyond_its_fail_threshold_is_invalid_and_says_why()
    {
        var storm = Report("storm", p99: 0.4, failPercent: 100, errors: new() { [RanDry] = 5_000, ["HTTP 503: busy"] = 3 });

        var outcomes = ThresholdEvaluator.Evaluate([Threshold.Parse("fail%(storm) <= 1"), Threshold.Parse("p99(storm) <= 10ms")], [storm]);

        Assert.Equal(ThresholdVerdict.Fail, outcomes[0].Verdict);
        var p99 = outcomes[1];
        Assert.Equal(ThresholdVerdict.Invalid, p99.Verdict);
        Assert.False(p99.Passed);
        Assert.StartsWith("INVALID", p99.ToString());
        Assert.Contains("failed 100% of its requests, over its limit of 1%", p99.Problem);
        Assert.Contains("the campaign ran dry", p99.Problem);
        Assert.Contains("size it with more cases", p99.Problem);
    }

    [Theory]
    [InlineData("rps(storm) >= 10")]
    [InlineData("ok(storm) >= 10")]
    [InlineData("p50(storm/next-case) <= 10ms")]
    [InlineData("rps(storm) >= 0.5 * rps(baseline)")]
    public void Throughput_and_step_latency_on_failed_requests_are_invalid_too(string text)
    {
        var reports = new[] { Report("storm", failPercent: 40), Report("baseline") };

        var outcome = Assert.Single(ThresholdEvaluator.Evaluate([Threshold.Parse(text)], reports));

        Assert.Equal(ThresholdVerdict.Invalid, outcome.Verdict);
    }

    [Theory]
    [InlineData(0.9, null, "PASS")]
    [InlineData(1.5, null, "INVALID")]
    [InlineData(1.5, "fail%(storm) <= 5", "PASS")]
    [InlineData(4, "fail% <= 2", "INVALID")]
    [InlineData(4, "fail%(other) <= 50", "INVALID")]
    public void The_scenarios_own_fail_threshold_sets_the_limit_and_one_percent_holds_without_one(double failPercent, string? failThreshold, string expected)
    {
        var thresholds = new List<Threshold> { Threshold.Parse("p99(storm) <= 10ms") };
        if (failThreshold is not null)
        {
            thresholds.Add(Threshold.Parse(failThreshold));
        }

        var outcomes = ThresholdEvaluator.Evaluate(thresholds, [Report("storm", failPercent: failPercent), Report("other")]);

        Assert.Equal(expected, outcomes[0].Label);
    }

    [Fact]
    public void Thresholds_about_failures_are_judged_on_the_failures_and_never_invalid()
    {
        var storm = Report("storm", failPercent: 100);

        var outcomes = ThresholdEvaluator.Evaluate([Threshold.Parse("fail%(storm) <= 1"), Threshold.Parse("timeouts(storm) <= 5")], [storm]);

        Assert.All(outcomes, o => Assert.NotEqual(ThresholdVerdict.Invalid, o.Verdict));
        Assert.Equal(ThresholdVerdict.Fail, outcomes[0].Verdict);
    }

    [Fact]
    public void A_storm_whose_campaign_ran_dry_prints_invalid_goals_beside_its_failures_never_pass()
    {
        var run = new EngineRun(StorageEngine.Sqlite.Name(), HostUnderTest.Attach("http://127.0.0.1:9/", "--url", new AdminCredentials("admin", "x")))
        {
            CallCenter = new CallCenter(new Uri("http://127.0.0.1:9/"), 1, [new AgentSeat(1, "t", new Uri("http://127.0.0.1:9/n"), new Uri("http://127.0.0.1:9/c"), new Uri("http://127.0.0.1:9/s"))], "t", SignInMode.Supervisor, 10, 0, []),
        };
        foreach (var scenario in new[] { BaselineScenario.Name, BaselineScenario.SignedInName, StormPart.ClosedName, StormPart.OpenName })
        {
            run.Thresholds.Add(Threshold.Parse($"fail%({scenario}) <= 1"));
        }

        var dry = new Dictionary<string, long> { [RanDry] = 9_000 };
        ScenarioReport[] reports =
        [
            Report(BaselineScenario.Name, rps: 20_000, steps: [Row(BaselineScenario.Step, rps: 20_000)]),
            Report(BaselineScenario.SignedInName, rps: 18_000, steps: [Row(BaselineScenario.Step, rps: 18_000)]),
            Report(StormPart.ClosedName, rps: 15_000, failPercent: 100, steps: [Row(NextCaseStorm.NextCaseStep, rps: 15_000, failPercent: 100, errors: dry), Row(NextCaseStorm.CompleteStep)]),
            Report(StormPart.OpenName, p99: 0.5, failPercent: 100, steps: [Row(NextCaseStorm.NextCaseStep, p99: 0.5, failPercent: 100, errors: dry), Row(NextCaseStorm.CompleteStep)]),
        ];
        var settings = new SuiteSettings
        {
            Command = "storm",
            Engines = [StorageEngine.Sqlite],
            ExternalAdmin = null,
            HostDll = null,
            WarmUp = TimeSpan.Zero,
            During = TimeSpan.FromSeconds(1),
            StepTimeout = TimeSpan.FromSeconds(1),
            Run = new RunSettings(),
        };

        new StormPart("talked", measureInMemory: false).Judge(run, reports, settings);

        var ratio = run.Goals.Single(g => g.Goal.StartsWith("next-case throughput", StringComparison.Ordinal));
        var p99 = run.Goals.Single(g => g.Goal.StartsWith("p99", StringComparison.Ordinal));
        Assert.Equal(GoalVerdict.Invalid, ratio.Verdict);
        Assert.Equal(GoalVerdict.Invalid, p99.Verdict);
        Assert.StartsWith("INVALID  p99", p99.ToString());
        Assert.Contains("the campaign ran dry", p99.ToString());
        Assert.DoesNotContain(run.Goals, g => g.Verdict == GoalVerdict.Pass);
        Assert.False(run.Passed(goalsEnforced: true));
    }

    private static ScenarioReport Report(
        string name, double rps = 100, double p99 = 1, double failPercent = 0, Dictionary<string, long>? errors = null, IReadOnlyList<StepReport>? steps = null) =>
        new(name, "inject", TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(5), 100, 0, 0, null,
            Row(ScenarioReport.TotalRowName, rps, p99, failPercent), steps ?? [Row("next-case", rps, p99, failPercent, errors)]);

    private static StepReport Row(string step, double rps = 100, double p99 = 1, double failPercent = 0, Dictionary<string, long>? errors = null)
    {
        var failed = (long)Math.Round(failPercent);
        return new(step, 100 - failed, failed, 0, failPercent, rps, new LatencySummary(0, 0, 0, 0, 0, p99, p99), new Dictionary<int, long>(), errors ?? [], 0);
    }
}
