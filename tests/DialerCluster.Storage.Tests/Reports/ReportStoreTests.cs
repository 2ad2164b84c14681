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
