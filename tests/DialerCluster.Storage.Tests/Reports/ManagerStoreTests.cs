using DialerCluster.Dialing.Audit;
using DialerCluster.Dialing.CallLog;
using DialerCluster.Dialing.Stores;
using DialerCluster.Testing;
using static DialerCluster.Storage.Tests.ReportHistory;

namespace DialerCluster.Storage.Tests;

/// <summary>The call log with its ratings, the audit log and the do-not-call list's import and search, on each engine.</summary>
public abstract class ManagerStoreTests : StoreSuiteBase
{
    private static readonly CancellationToken None = CancellationToken.None;
    private ReportHistory _history = null!;
    private CallLogStore _callLog = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _callLog = new CallLogStore(Dialect);
        _history = new ReportHistory(this, _callLog);
        await _history.SeedAsync();
    }

    [Fact]
    public async Task The_call_log_lists_a_days_calls_newest_first_with_contact_agent_rating_and_recording_place()
    {
        var day2 = await _callLog.ListAsync(new CallLogQuery(Day(2), Day(3)), None);

        Assert.Equal([_history.Call[4], _history.Call[3], _history.Call[2]], day2.Items.Select(c => c.CallId));
        var bobs = day2.Items[2];
        Assert.Equal(("One", "Bob", "Client 2", "+4420799"), (bobs.CampaignName, bobs.AgentName, bobs.ContactName, bobs.Phone));
        Assert.Equal(("talked", TimeSpan.FromSeconds(120), (string?)null), (bobs.Outcome, bobs.Talk, bobs.RecordingUrl));
        Assert.Equal(new CallRating(2, "Talked over the client", "sue", Day(5)), bobs.Rating);
        Assert.Null(day2.Items[1].Rating);
    }

    [Fact]
    public async Task The_call_log_filters_by_campaign_agent_and_outcome_and_pages()
    {
        var month = new CallLogQuery(T0, T0.AddDays(30));

        var adaInOne = await _callLog.ListAsync(month with { CampaignId = _history.One, AgentId = _history.Ada }, None);
        var talked = await _callLog.ListAsync(month with { Outcome = "talked" }, None);
        var up = await _callLog.ListAsync(month with { Outcome = CallLogQuery.InProgress }, None);
        var second = await _callLog.ListAsync(month with { Page = 2, PageSize = 3 }, None);

        Assert.Equal([_history.Call[8], _history.Call[3], _history.Call[1]], adaInOne.Items.Select(c => c.CallId));
        Assert.Equal([_history.Call[4], _history.Call[2], _history.Call[1]], talked.Items.Select(c => c.CallId));
        Assert.Equal([_history.Call[8]], up.Items.Select(c => c.CallId));
        Assert.Equal((8L, 3), (second.Total, second.Items.Count));
        Assert.Equal([_history.Call[5], _history.Call[4], _history.Call[3]], second.Items.Select(c => c.CallId));
    }

    [Fact]
    public async Task Rating_a_call_again_replaces_the_rating_and_an_unknown_call_is_not_rated()
    {
        var rated = await _callLog.RateAsync(_history.Call[3], new CallRating(3, "Left no message", "sue", Day(6)), None);
        var again = await _callLog.RateAsync(_history.Call[3], new CallRating(5, null, "tom", Day(7)), None);

        Assert.Equal(3, rated!.Score);
        Assert.Equal(new CallRating(5, null, "tom", Day(7)), again);
        Assert.Equal(again, (await _callLog.GetAsync(_history.Call[3], None))!.Rating);
        Assert.Null(await _callLog.RateAsync(_history.Call[9] + 1000, new CallRating(4, null, "sue", Day(7)), None));
        Assert.Null(await _callLog.GetAsync(_history.Call[9] + 1000, None));
        await Assert.ThrowsAsync<ArgumentException>(() => _callLog.RateAsync(_history.Call[3], new CallRating(6, null, "sue", Day(7)), None));
    }

    [Fact]
    public async Task The_audit_log_keeps_who_did_what_to_which_subject_newest_first()
    {
        var audit = new AuditLog(Dialect);
        await audit.AppendAsync(new AuditEntry(Day(1), "sue", "campaign.update", "campaign 1", """{"maxAttempts":4}"""), None);
        await audit.AppendAsync(new AuditEntry(Day(2), "tom", "call.rate", "call 7", """{"score":5}"""), None);
        await audit.AppendAsync(new AuditEntry(Day(3), "sue", "campaign.assign", "campaign 1", """{"agentId":2}"""), None);

        var all = await audit.RecentAsync(10, null, null, None);
        var campaign = await audit.RecentAsync(10, "campaign 1", null, None);

        Assert.Equal(["campaign.assign", "call.rate", "campaign.update"], all.Select(e => e.Action));
        Assert.Equal([Day(3), Day(1)], campaign.Select(e => e.At));
        Assert.Equal(new AuditEntry(Day(1), "sue", "campaign.update", "campaign 1", """{"maxAttempts":4}"""), campaign[1].Entry);
        Assert.Single(await audit.RecentAsync(1, null, null, None));
    }

    [Fact]
    public async Task A_do_not_call_import_adds_every_new_number_in_one_go_and_keeps_those_already_listed()
    {
        await DoNotCall.AddAsync("+442079460001", "asked", None);
        var entries = Enumerable.Range(0, 1_200)
            .Select(i => new DoNotCallEntry("+4420794" + (60_000 + i).ToString("D5", System.Globalization.CultureInfo.InvariantCulture), i % 2 == 0 ? "Complaint" : null, Day(1)))
            .ToArray();

        var added = await DoNotCall.AddManyAsync(entries, None);

        Assert.Equal(1_199, added);
        Assert.Equal(1_200, (await DoNotCall.AllAsync(None)).Count);
        var kept = await DoNotCall.SearchAsync("+442079460001", 1, 10, None);
        Assert.Equal("asked", Assert.Single(kept.Items).Reason);
    }

    [Fact]
    public async Task A_do_not_call_import_with_one_bad_number_adds_none()
    {
        // More than one statement's worth, the bad number last: the numbers before it must go too.
        var entries = Enumerable.Range(0, 700)
            .Select(i => new DoNotCallEntry("+4420794" + (70_000 + i).ToString("D5", System.Globalization.CultureInfo.InvariantCulture), null, Day(1)))
            .Append(new DoNotCallEntry("0207946", null, Day(1)))
            .ToArray();

        await Assert.ThrowsAsync<ArgumentException>(() => DoNotCall.AddManyAsync(entries, None));

        Assert.Empty(await DoNotCall.AllAsync(None));
    }

    [Fact]
    public async Task The_do_not_call_list_is_searched_by_number_or_reason_case_insensitively_and_literally()
    {
        await DoNotCall.AddManyAsync(
            [
                new DoNotCallEntry("+442079460001", "Asked to stop", Day(1)),
                new DoNotCallEntry("+442079460002", "Complaint 100%", Day(1)),
                new DoNotCallEntry("+12025550100", null, Day(2)),
            ],
            None);

        Assert.Equal(["+442079460001", "+442079460002"], (await DoNotCall.SearchAsync("7946", 1, 10, None)).Items.Select(e => e.Phone));
        Assert.Equal(["+442079460001"], (await DoNotCall.SearchAsync("ASKED", 1, 10, None)).Items.Select(e => e.Phone));
        Assert.Equal(["+442079460002"], (await DoNotCall.SearchAsync("0%", 1, 10, None)).Items.Select(e => e.Phone));
        Assert.Empty((await DoNotCall.SearchAsync("_", 1, 10, None)).Items);
        var page = await DoNotCall.SearchAsync(null, 2, 2, None);
        Assert.Equal((3L, "+442079460002"), (page.Total, Assert.Single(page.Items).Phone));
        Assert.Equal(new DoNotCallEntry("+12025550100", null, Day(2)), (await DoNotCall.SearchAsync(null, 1, 1, None)).Items[0]);
    }
}

public sealed class SqliteManagerStoreTests : ManagerStoreTests
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await SqliteStoreEngine.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresManagerStoreTests(PostgresServer server) : ManagerStoreTests
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await PostgresStoreEngine.CreateAsync(server);
}
