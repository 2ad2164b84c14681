using DialerCluster.Dialing.Forecasting;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Reports;
using DialerCluster.Testing;
using static DialerCluster.Storage.Tests.ReportHistory;

namespace DialerCluster.Storage.Tests;

/// <summary>
/// The reports on each engine over <see cref="ReportHistory"/>, whose every answer was counted by hand: the same SQL
/// must give the same numbers on SQLite and PostgreSQL.
/// </summary>
public abstract class ReportStoreTests : StoreSuiteBase
{
    private static readonly CancellationToken None = CancellationToken.None;
    private ReportHistory _history = null!;
    private ReportStore _reports = null!;

    private ReportFilter Month => new(T0, T0.AddDays(30));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _reports = new ReportStore(Dialect);
        _history = new ReportHistory(this, new CallLogStore(Dialect));
        await _history.SeedAsync();
    }

    [Fact]
    public async Task The_funnel_follows_the_cases_created_in_the_period_through_every_stage_they_reached()
    {
        var all = await _reports.FunnelAsync(Month, None);

        Assert.Equal(11, all.Cases);
        Assert.Equal(Stages(11, 6, 4, 2), all.Reached);
        Assert.Equal(Resigned(1, 2, 1), all.ResignedFrom);
    }

    [Fact]
    public async Task The_funnel_narrows_to_a_campaign_a_lead_source_or_the_cases_an_agent_owns_or_moved()
    {
        var one = await _reports.FunnelAsync(Month with { CampaignId = _history.One }, None);
        var web = await _reports.FunnelAsync(Month with { LeadSource = "web" }, None);
        var ada = await _reports.FunnelAsync(Month with { AgentId = _history.Ada }, None);

        Assert.Equal(Stages(10, 5, 4, 2), one.Reached);
        Assert.Equal(Resigned(1, 1, 1), one.ResignedFrom);
        Assert.Equal(Stages(4, 4, 2, 1), web.Reached);
        Assert.Equal(Resigned(0, 2, 0), web.ResignedFrom);
        Assert.Equal(Stages(6, 4, 3, 2), ada.Reached);
        Assert.Equal(Resigned(1, 1, 0), ada.ResignedFrom);
    }

    [Fact]
    public async Task Agent_results_count_calls_talk_state_time_moves_and_ratings_per_person_leaving_out_dialer_lines()
    {
        var rows = await _reports.AgentsAsync(Month, Now, None);

        Assert.Equal(["Ada", "Bob"], rows.Select(r => r.AgentName));
        var ada = rows[0];
        Assert.Equal((4L, TimeSpan.FromSeconds(360)), (ada.Calls, ada.Talk));
        Assert.Equal(new TimeSpan(30, 23, 0), ada.Ready);
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(30)), (ada.OnCall, ada.WrapUp, ada.Break));
        Assert.Equal((4L, 3L, 2L, 2L), (ada.ToAcquisition, ada.ToOffered, ada.Won, ada.Resigned));
        Assert.Equal((2L, 4.5), (ada.Ratings, ada.AverageRating));
        var bob = rows[1];
        Assert.Equal((2L, TimeSpan.FromSeconds(120), TimeSpan.FromHours(10)), (bob.Calls, bob.Talk, bob.Ready));
        Assert.Equal((2L, 1L, 1L, 2L), (bob.ToAcquisition, bob.ToOffered, bob.Won, bob.Resigned));
        Assert.Equal((1L, 2.0), (bob.Ratings, bob.AverageRating));
    }

    [Fact]
    public async Task Agent_results_for_a_campaign_show_who_worked_in_it_and_a_state_still_going_lasts_until_now()
    {
        var two = await _reports.AgentsAsync(Month with { CampaignId = _history.Two }, Now, None);
        var bobOnly = await _reports.AgentsAsync(Month with { AgentId = _history.Bob }, Now, None);
        var rightNow = await _reports.AgentsAsync(new ReportFilter(Day(31), Day(60)), Day(31).AddHours(3), None);

        var ada = Assert.Single(two);
        Assert.Equal((1L, TimeSpan.FromSeconds(60), 1L, 1L, 5.0), (ada.Calls, ada.Talk, ada.ToAcquisition, ada.Resigned, ada.AverageRating));
        Assert.Equal(new TimeSpan(30, 23, 0), ada.Ready);
        Assert.Equal(_history.Bob, Assert.Single(bobOnly).AgentId);
        Assert.Equal(TimeSpan.FromHours(3), Assert.Single(rightNow, r => r.AgentId == _history.Ada).Ready);
    }

    [Fact]
    public async Task Resignation_reasons_are_counted_per_stage_the_client_left_from()
    {
        var all = await _reports.ResignationsAsync(Month, None);
        var bobs = await _reports.ResignationsAsync(Month with { AgentId = _history.Bob }, None);

        Assert.Equal([new ResignationCounts("No need", 1, 1, 0), new ResignationCounts("Too expensive", 0, 1, 1)], all);
        Assert.Equal([new ResignationCounts("Too expensive", 0, 1, 1)], bobs);
    }

    [Fact]
    public async Task The_sales_cycle_runs_from_the_first_contact_to_won_with_its_median_and_distribution()
    {
        var all = await _reports.SalesCycleAsync(Month, None);
        var adas = await _reports.SalesCycleAsync(Month with { AgentId = _history.Ada }, None);
        var empty = await _reports.SalesCycleAsync(new ReportFilter(Day(100), Day(130)), None);

        Assert.Equal(3, all.Won);
        Assert.Equal(10, all.MedianDays!.Value, 6);
        Assert.Equal((9 + 2 / 24.0 + 10 + 18) / 3, all.MeanDays!.Value, 6);
        Assert.Equal([0L, 0, 0, 2, 1, 0, 0, 0], all.PerBucket);
        Assert.Equal(2, adas.Won);
        Assert.Equal((9 + 2 / 24.0 + 10) / 2, adas.MedianDays!.Value, 6);
        Assert.Equal((0, (double?)null), (empty.Won, empty.MedianDays));
    }

    [Fact]
    public async Task Lead_sources_show_their_cohort_how_far_it_got_and_how_it_ended()
    {
        var all = await _reports.LeadSourcesAsync(Month, None);

        Assert.Equal([new LeadSourceCounts("web", 4, 2, 1, 2), new LeadSourceCounts("fair", 2, 2, 1, 1)], all);
    }

    [Fact]
    public async Task Call_outcomes_count_the_calls_started_in_the_period_with_their_talk_time()
    {
        var all = await _reports.CallOutcomesAsync(Month, None);
        var web = await _reports.CallOutcomesAsync(Month with { LeadSource = "web" }, None);
        var adaInOne = await _reports.CallOutcomesAsync(Month with { CampaignId = _history.One, AgentId = _history.Ada }, None);

        Assert.Equal(
            [
                new CallOutcomeCounts("talked", 3, 3, TimeSpan.FromSeconds(480)),
                new CallOutcomeCounts("no_answer", 2, 0, TimeSpan.Zero),
                new CallOutcomeCounts("abandoned", 1, 1, TimeSpan.FromSeconds(3)),
                new CallOutcomeCounts("busy", 1, 0, TimeSpan.Zero),
                new CallOutcomeCounts("in_progress", 1, 0, TimeSpan.Zero),
            ],
            all);
        Assert.Equal([new CallOutcomeCounts("talked", 3, 3, TimeSpan.FromSeconds(480)), new CallOutcomeCounts("abandoned", 1, 1, TimeSpan.FromSeconds(3))], web);
        Assert.Equal(
            [
                new CallOutcomeCounts("in_progress", 1, 0, TimeSpan.Zero),
                new CallOutcomeCounts("no_answer", 1, 0, TimeSpan.Zero),
                new CallOutcomeCounts("talked", 1, 1, TimeSpan.FromSeconds(300)),
            ],
            adaInOne);
    }

    [Fact]
    public async Task Forecast_inputs_learn_from_closed_cases_and_read_the_open_pipeline_its_ages_and_the_recent_wins()
    {
        var inputs = await _reports.ForecastInputsAsync(new ForecastQuery(Day(30), 4), None);

        Assert.Equal(Stages(7, 6, 4, 0).Where(s => s.Key != CaseStatus.Won), inputs.Stages.ClosedReached.OrderBy(s => s.Key));
        Assert.Equal([3L, 3, 3], StageProbabilities.OpenStages.Select(inputs.Stages.Won));
        Assert.Equal([0L, 2, 1], inputs.Cycles.Won.Take(3));
        Assert.Equal([4L, 2, 1], inputs.Cycles.Closed.Take(3));
        Assert.Equal(7, inputs.Cycles.TotalClosed);
        Assert.Equal(
            [
                new OpenCases(_history.One, CaseStatus.New, null, 4),
                new OpenCases(_history.One, CaseStatus.InAcquisition, -2, 1),
                new OpenCases(_history.One, CaseStatus.InAcquisition, 2, 1),
            ],
            inputs.Pipeline.OrderBy(p => p.Stage).ThenBy(p => p.CloseWeek));
        Assert.Equal([new OpenAges(_history.One, 0, 5), new OpenAges(_history.One, 4, 1)], inputs.Ages);
        Assert.Equal([new WeeklyWins(_history.One, -3, 2), new WeeklyWins(_history.One, -2, 1)], inputs.RecentWins.OrderBy(w => w.Week));
        Assert.Equal((1000m, 0m), (inputs.DealValues[_history.One], inputs.DealValues[_history.Two]));
    }

    [Fact]
    public async Task Forecast_inputs_for_a_campaign_leave_the_others_out()
    {
        var two = await _reports.ForecastInputsAsync(new ForecastQuery(Day(30), 4, CampaignId: _history.Two), None);

        Assert.Equal(1, two.Stages.Closed(CaseStatus.New));
        Assert.Empty(two.Pipeline);
        Assert.Empty(two.RecentWins);
    }

    [Fact]
    public async Task Spend_inputs_hold_connected_time_talk_per_agent_and_campaign_wins_and_signed_in_time()
    {
        var spend = await _reports.SpendAsync(Month, Now, None);

        Assert.Equal(
            [new CampaignCalls(_history.One, TimeSpan.FromSeconds(423), 3), new CampaignCalls(_history.Two, TimeSpan.FromSeconds(60), 0)],
            spend.Calls);
        Assert.Equal(
            [
                new AgentTalk(_history.Ada, _history.One, TimeSpan.FromSeconds(300)),
                new AgentTalk(_history.Ada, _history.Two, TimeSpan.FromSeconds(60)),
                new AgentTalk(_history.Bob, _history.One, TimeSpan.FromSeconds(120)),
            ],
            spend.Talk.OrderBy(t => t.AgentId).ThenBy(t => t.CampaignId));
        Assert.Equal(
            [new AgentSignedIn(_history.Ada, TimeSpan.FromHours(31)), new AgentSignedIn(_history.Bob, TimeSpan.FromHours(10))],
            spend.SignedIn.OrderBy(s => s.AgentId));
        Assert.Equal(ReportHistory.OneCosts, spend.Campaigns.Single(c => c.CampaignId == _history.One).Costs);

        var report = CostOfAcquisition.Compute(spend);
        var one = report.Campaigns.Single(c => c.CampaignId == _history.One);
        Assert.Equal((717.02m, 239.01m, 2956.88m), (one.Cost, one.CostPerAcquisition, one.BudgetForPeriod));
    }

    private static Dictionary<CaseStatus, long> Stages(long created, long acquisition, long offered, long won) => new()
    {
        [CaseStatus.New] = created,
        [CaseStatus.InAcquisition] = acquisition,
        [CaseStatus.Offered] = offered,
        [CaseStatus.Won] = won,
    };

    private static Dictionary<CaseStatus, long> Resigned(long fromNew, long fromAcquisition, long fromOffered) => new()
    {
        [CaseStatus.New] = fromNew,
        [CaseStatus.InAcquisition] = fromAcquisition,
        [CaseStatus.Offered] = fromOffered,
    };
}

public sealed class SqliteReportStoreTests : ReportStoreTests
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await SqliteStoreEngine.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresReportStoreTests(PostgresServer server) : ReportStoreTests
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await PostgresStoreEngine.CreateAsync(server);
}
