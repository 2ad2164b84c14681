using System.Globalization;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.CallLog;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage.Tests;

/// <summary>
/// A small contact-center month written through the real stores, every answer counted by hand. The period is
/// [T0, T0 + 30 days); K0 was created before it and K11 after it. Moves (at day n, 12:00):
/// <code>
/// K1  web   new→in_acq d1 "ada"   →offered d3 ada-id  →won d10 "ada"      (a call attempt d1 10:00: first contact)
/// K2  web   new→in_acq d2 bob-id  →resigned d5 bob-id "Too expensive"
/// K3  fair  new→offered d2 "ada"  →won d20 bob-id
/// K4  —     new→resigned d1 ada-id "No need"
/// K5  web   new→in_acq d1 "ada"   →offered d4 "ada"   →in_acq d6 "sue" (a supervisor, no agent)
/// K6  fair  new→in_acq d3 bob-id  →offered d5 bob-id  →resigned d8 bob-id "Too expensive"
/// K7..K10 new (K7 owned by Ada); K12 (campaign Two) web new→in_acq d2 "ada" →resigned d4 "ada" "No need"
/// K0  web   created d-5; new→in_acq d2 "ada" →won d12 "ada";  K11 created d35, new→in_acq d36 "ada"
/// </code>
/// Calls: 1 K1 Ada talked 300 s (rated 4), 2 K2 Bob talked 120 s (rated 2), 3 K3 Ada no answer, 4 K12 Ada talked 60 s
/// (rated 5), 5 K5 abandoned (answered, 3 s), 6 K1 Ada before the period (rated 1), 7 K6 Bob busy, 8 K7 Ada still up,
/// 9 K8 a dialer line, no answer. A move into in acquisition expects the close 14 days later. States: Ada ready from d-1h … (see <see cref="SeedAsync"/>), Bob ready 10 h on d2.
/// </summary>
internal sealed class ReportHistory(StoreSuiteBase suite, ICallLogStore callLog)
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 3, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = T0.AddDays(40);

    /// <summary>Campaign One's money settings (Two has none).</summary>
    public static readonly CampaignCosts OneCosts = new(AgentHourCost: 20m, CallMinuteCost: 0.05m, Budget: 3000m, BudgetPeriod: BudgetPeriod.Month);

    private readonly Dictionary<long, long> _versions = [];

    public long One { get; private set; }

    public long Two { get; private set; }

    public long Ada { get; private set; }

    public long Bob { get; private set; }

    public long Line { get; private set; }

    /// <summary>K[0..12] as in the table above.</summary>
    public long[] K { get; } = new long[13];

    public long[] Call { get; } = new long[10];

    public static DateTimeOffset Day(double days) => T0.AddDays(days);

    /// <summary>Noon of day <paramref name="day"/> (T0 is 10:00): when the table's moves happen.</summary>
    public static DateTimeOffset Move(int day) => T0.AddDays(day).AddHours(2);

    public async Task SeedAsync()
    {
        var none = CancellationToken.None;
        One = (await suite.Campaigns.CreateAsync(new CampaignSettings { Name = "One", DealValue = 1000m, Costs = OneCosts }, none)).Id;
        Two = (await suite.Campaigns.CreateAsync(new CampaignSettings { Name = "Two" }, none)).Id;
        Ada = (await suite.Agents.CreateAsync("Ada", none)).Id;
        Bob = (await suite.Agents.CreateAsync("Bob", none)).Id;
        Line = (await suite.Agents.CreateAsync("Dialer line 1.1", none)).Id;
        await suite.Users.CreateAsync(new NewUser("ada", "ada", "ada", "hash", "agent", Ada), none);
        await suite.Users.CreateAsync(new NewUser("sue", "sue", "sue", "hash", "supervisor", null), none);

        var phones = Enumerable.Range(0, 13).Select(i => "+4420799" + i.ToString("D5", CultureInfo.InvariantCulture)).ToArray();
        var drafts = phones.Select((p, i) => new ContactDraft(i + 2, $"Client {i}", [p], null, null, null, "GB", "Europe/London", new Dictionary<string, string>())).ToList();
        var group = await suite.Contacts.ImportGroupAsync("History", drafts, drafts.Count, 0, none);
        var contacts = await suite.Contacts.ContactIdsInGroupAsync(group, none);

        K[0] = await CaseAsync(One, contacts[0], Day(-5));
        for (var i = 1; i <= 10; i++)
        {
            K[i] = await CaseAsync(One, contacts[i], T0.AddHours(i), owner: i == 7 ? Ada : null);
        }

        K[11] = await CaseAsync(One, contacts[11], Day(35));
        K[12] = await CaseAsync(Two, contacts[12], T0.AddHours(12));

        var ada = Ada.ToString(CultureInfo.InvariantCulture);
        var bob = Bob.ToString(CultureInfo.InvariantCulture);
        await AttemptAsync(K[1], Day(1), ada);
        await MoveAsync(K[1], CaseStatus.New, CaseStatus.InAcquisition, 1, "ada", "web");
        await MoveAsync(K[1], CaseStatus.InAcquisition, CaseStatus.Offered, 3, ada, "web");
        await MoveAsync(K[1], CaseStatus.Offered, CaseStatus.Won, 10, "ada", "web");
        await MoveAsync(K[2], CaseStatus.New, CaseStatus.InAcquisition, 2, bob, "web");
        await MoveAsync(K[2], CaseStatus.InAcquisition, CaseStatus.Resigned, 5, bob, "web", "Too expensive");
        await MoveAsync(K[3], CaseStatus.New, CaseStatus.Offered, 2, "ada", "fair");
        await MoveAsync(K[3], CaseStatus.Offered, CaseStatus.Won, 20, bob, "fair");
        await MoveAsync(K[4], CaseStatus.New, CaseStatus.Resigned, 1, ada, null, "No need");
        await MoveAsync(K[5], CaseStatus.New, CaseStatus.InAcquisition, 1, "ada", "web");
        await MoveAsync(K[5], CaseStatus.InAcquisition, CaseStatus.Offered, 4, "ada", "web");
        await MoveAsync(K[5], CaseStatus.Offered, CaseStatus.InAcquisition, 6, "sue", "web");
        await MoveAsync(K[6], CaseStatus.New, CaseStatus.InAcquisition, 3, bob, "fair");
        await MoveAsync(K[6], CaseStatus.InAcquisition, CaseStatus.Offered, 5, bob, "fair");
        await MoveAsync(K[6], CaseStatus.Offered, CaseStatus.Resigned, 8, bob, "fair", "Too expensive");
        await MoveAsync(K[12], CaseStatus.New, CaseStatus.InAcquisition, 2, "ada", "web");
        await MoveAsync(K[12], CaseStatus.InAcquisition, CaseStatus.Resigned, 4, "ada", "web", "No need");
        await MoveAsync(K[0], CaseStatus.New, CaseStatus.InAcquisition, 2, "ada", "web");
        await MoveAsync(K[0], CaseStatus.InAcquisition, CaseStatus.Won, 12, "ada", "web");
        await MoveAsync(K[11], CaseStatus.New, CaseStatus.InAcquisition, 36, "ada", "web");

        Call[1] = await CallAsync(K[1], One, Ada, Day(1).AddHours(-1), answeredAfter: 20, endedAfter: 320, CallOutcome.Talked);
        Call[2] = await CallAsync(K[2], One, Bob, Day(2), answeredAfter: 10, endedAfter: 130, CallOutcome.Talked);
        Call[3] = await CallAsync(K[3], One, Ada, Day(2).AddHours(1), answeredAfter: null, endedAfter: 25, CallOutcome.NoAnswer);
        Call[4] = await CallAsync(K[12], Two, Ada, Day(2).AddHours(2), answeredAfter: 5, endedAfter: 65, CallOutcome.Talked);
        Call[5] = await CallAsync(K[5], One, null, Day(3), answeredAfter: 4, endedAfter: 7, CallOutcome.Abandoned, abandoned: true);
        Call[6] = await CallAsync(K[1], One, Ada, Day(-1), answeredAfter: 5, endedAfter: 105, CallOutcome.Talked);
        Call[7] = await CallAsync(K[6], One, Bob, Day(3).AddHours(1), answeredAfter: null, endedAfter: 30, CallOutcome.Busy);
        Call[8] = await CallAsync(K[7], One, Ada, Day(29), answeredAfter: null, endedAfter: null, CallOutcome.Talked);
        Call[9] = await CallAsync(K[8], One, Line, Day(4), answeredAfter: null, endedAfter: 25, CallOutcome.NoAnswer);
        await callLog.RateAsync(Call[1], new CallRating(4, "Good opener", "sue", Day(5)), none);
        await callLog.RateAsync(Call[2], new CallRating(2, "Talked over the client", "sue", Day(5)), none);
        await callLog.RateAsync(Call[4], new CallRating(5, null, "sue", Day(5)), none);
        await callLog.RateAsync(Call[6], new CallRating(1, null, "sue", Day(5)), none);

        // Ada: ready from an hour before the period; day 1 09:00 on a call 5 min, wrap-up 2 min, ready, lunch 12:00-12:30,
        // offline 17:00; back after the period. Bob: ready day 2 08:00-18:00.
        await StateAsync(Ada, AgentState.Ready, T0.AddHours(-1));
        await StateAsync(Ada, AgentState.OnCall, T0.AddHours(23));
        await StateAsync(Ada, AgentState.WrapUp, T0.AddHours(23).AddMinutes(5));
        await StateAsync(Ada, AgentState.Ready, T0.AddHours(23).AddMinutes(7));
        await StateAsync(Ada, AgentState.Break, T0.AddHours(26), "Lunch");
        await StateAsync(Ada, AgentState.Ready, T0.AddHours(26).AddMinutes(30));
        await StateAsync(Ada, AgentState.Offline, T0.AddHours(31));
        await StateAsync(Ada, AgentState.Ready, Day(31));
        await StateAsync(Bob, AgentState.Ready, Day(2).AddHours(-2));
        await StateAsync(Bob, AgentState.Offline, Day(2).AddHours(8));
    }

    private async Task<long> CaseAsync(long campaign, long contact, DateTimeOffset at, long? owner = null)
    {
        var created = await suite.Cases.CreateCasesAsync(campaign, [contact], CasePriority.Low, owner, at, CancellationToken.None);
        var id = created.Created[0].CaseId;
        _versions[id] = 1;
        return id;
    }

    private Task MoveAsync(long caseId, CaseStatus from, CaseStatus to, int day, string by, string? leadSource, string? reason = null)
    {
        var at = Move(day);
        var form = new CaseForm(
            NextContactAt: to is CaseStatus.InAcquisition or CaseStatus.Offered ? at.AddDays(3) : null,
            AcquisitionStage: "demo",
            LeadSource: leadSource,
            ExpectedCloseDate: to == CaseStatus.InAcquisition ? DateOnly.FromDateTime(at.AddDays(14).UtcDateTime) : null,
            ContractStage: to == CaseStatus.Offered ? "sent" : null,
            ResignationReason: reason);
        return SaveAsync(caseId, to, form, [CaseActivity.StatusChanged(from, to, at, by, reason)], at);
    }

    private async Task AttemptAsync(long caseId, DateTimeOffset at, string by)
    {
        var current = (await suite.Cases.GetAsync(caseId, CancellationToken.None))!;
        await SaveAsync(caseId, current.Status, current.Form, [CaseActivity.CallAttempt(CallOutcome.Talked, at, by)], at);
    }

    private async Task SaveAsync(long caseId, CaseStatus status, CaseForm form, IReadOnlyList<CaseActivity> activities, DateTimeOffset at)
    {
        var current = (await suite.Cases.GetAsync(caseId, CancellationToken.None))!;
        _versions[caseId] = await suite.Cases.SaveAsync(
            new CaseChange(caseId, status, current.Priority, current.OwnerAgentId, form, activities, at), _versions[caseId], CancellationToken.None);
    }

    private async Task<long> CallAsync(
        long caseId, long campaign, long? agent, DateTimeOffset started, int? answeredAfter, int? endedAfter, CallOutcome outcome, bool abandoned = false)
    {
        var id = await suite.Calls.StartAsync(new CallStart(caseId, campaign, agent, "+4420799", started), CancellationToken.None);
        if (endedAfter is { } ended)
        {
            var answered = answeredAfter is { } a ? started.AddSeconds(a) : (DateTimeOffset?)null;
            await suite.Calls.EndAsync(new CallEnd(id, agent, answered, started.AddSeconds(ended), outcome, abandoned), CancellationToken.None);
        }

        return id;
    }

    private Task StateAsync(long agent, AgentState state, DateTimeOffset at, string? reason = null) =>
        suite.Agents.AppendStateAsync(agent, new AgentPresence(state, at, reason), CancellationToken.None);
}
