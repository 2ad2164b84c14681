using System.Globalization;

namespace DialerCluster.LoadTests.Reports;

/// <summary>
/// A year of a busy contact center, made up deterministically for the report benchmark: every case is generated from its
/// own seed, so each table can be written in its own pass (contacts, then cases, then their history and calls) and still
/// agree. Shapes follow a sales funnel: about two call attempts per case (each a hold and an attempt in the history, and a
/// call), a third of the contacted cases interested, half of those offered, 45 % of offers won.
/// </summary>
internal sealed class SeededHistory(int cases, DateTimeOffset end, int days = 365, int seed = 7)
{
    public const int Campaigns = 10;
    public const int Agents = 200;

    /// <summary>Agents 1..UsersUpTo have a user (their moves are recorded under the user name, as the API does).</summary>
    public const int UsersUpTo = 100;

    public static readonly string[] LeadSources = ["Web form", "Referral", "Trade fair", "Cold list", "Partner", "Ads"];
    public static readonly string[] Reasons = ["Too expensive", "No need", "Chose a competitor", "No budget", "Bad timing"];
    private static readonly string[] Outcomes = ["no_answer", "busy", "voicemail", "talked", "talked"];
    private static readonly int[] Attempts = [0, 1, 1, 2, 2, 2, 3, 4];

    public int Cases => cases;

    public DateTimeOffset Start => end.AddDays(-days);

    public DateTimeOffset End => end;

    /// <summary>A stable seed per case or agent: HashCode.Combine is randomized per process, which would make every run differ.</summary>
    private static int Mix(int seed, long id) => unchecked((int)((seed * 1_000_003L) ^ (id * 0x9E3779B1L) ^ (id >> 32)));

    public SeededCase Case(long id)
    {
        var random = new Random(Mix(seed, id));
        var campaign = 1 + random.Next(Campaigns);
        var created = Start + TimeSpan.FromMinutes(random.NextDouble() * days * 24 * 60);
        var owner = random.NextDouble() < 0.3 ? 1 + random.Next(Agents) : (long?)null;
        var agent = 1 + random.Next(Agents);
        var activities = new List<SeededActivity>(8);
        var calls = new List<SeededCall>(4);
        var t = created + TimeSpan.FromHours(1 + random.NextDouble() * 48);
        var status = "new";
        string? source = null, reason = null;
        DateTimeOffset? next = null;
        DateOnly? close = null;
        var attempts = 0;
        string Actor() => agent <= UsersUpTo && random.NextDouble() < 0.7 ? $"agent{agent}" : agent.ToString(CultureInfo.InvariantCulture);
        bool Before(DateTimeOffset at) => at < end;

        var tries = Attempts[random.Next(Attempts.Length)];
        for (var i = 0; i < tries && Before(t); i++)
        {
            var outcome = Outcomes[random.Next(Outcomes.Length)];
            var answered = outcome == "talked" ? t.AddSeconds(8 + random.Next(20)) : (DateTimeOffset?)null;
            var ended = answered is { } a ? a.AddSeconds(30 + random.Next(900)) : t.AddSeconds(20 + random.Next(15));
            activities.Add(new SeededActivity("assigned", t, agent.ToString(CultureInfo.InvariantCulture), null, "{}"));
            activities.Add(new SeededActivity("call_attempt", ended, agent.ToString(CultureInfo.InvariantCulture), outcome, "{}"));
            calls.Add(new SeededCall(agent, t, answered, ended, outcome));
            attempts++;
            t = ended + TimeSpan.FromHours(1 + random.NextDouble() * 96);
        }

        void Move(string to, string? text = null)
        {
            activities.Add(new SeededActivity("status_changed", t, Actor(), null, Details(text, status, to)));
            status = to;
            t += TimeSpan.FromHours(2 + random.NextDouble() * 24 * 20);
        }

        if (attempts > 0 && Before(t) && random.NextDouble() < 0.35)
        {
            source = LeadSources[random.Next(LeadSources.Length)];
            next = t.AddDays(1 + random.Next(10));
            close = DateOnly.FromDateTime(t.AddDays(14 + random.Next(60)).UtcDateTime);
            Move("in_acquisition");
            var r = random.NextDouble();
            if (r < 0.5 && Before(t))
            {
                next = t.AddDays(1 + random.Next(7));
                Move("offered");
                var r2 = random.NextDouble();
                if (r2 < 0.45 && Before(t))
                {
                    next = null;
                    Move("won");
                }
                else if (r2 < 0.8 && Before(t))
                {
                    reason = Reasons[random.Next(Reasons.Length)];
                    next = null;
                    Move("resigned", reason);
                }
            }
            else if (r < 0.9 && Before(t))
            {
                reason = Reasons[random.Next(Reasons.Length)];
                next = null;
                Move("resigned", reason);
            }
        }
        else if (attempts > 0 && Before(t) && random.NextDouble() < 0.1)
        {
            reason = Reasons[random.Next(Reasons.Length)];
            Move("resigned", reason);
        }

        var last = activities.Count > 0 ? activities[^1].At : created;
        if (random.NextDouble() < 0.3 && Before(last.AddMinutes(5)))
        {
            activities.Add(new SeededActivity("note", last.AddMinutes(5), Actor(), null, """{"text":"Call after lunch"}"""));
        }

        var updated = activities.Count > 0 ? activities.Max(a => a.At) : created;
        return new SeededCase(id, campaign, created, updated, status, owner, next, close, source, reason, attempts, activities, calls);
    }

    /// <summary>A move's details as the case store writes them (StoredJson): reason text, from and to.</summary>
    private static string Details(string? text, string from, string to) => text is null
        ? $$"""{"from":"{{from}}","to":"{{to}}"}"""
        : $$"""{"text":"{{text}}","from":"{{from}}","to":"{{to}}"}""";

    /// <summary>
    /// Each agent's working days: ready at 8:00, then calls, wrap-ups and breaks, offline at about 17:00; each state with
    /// the moment the next one began (as the agent store writes it).
    /// </summary>
    public IEnumerable<(long Agent, string State, string? Reason, DateTimeOffset At, DateTimeOffset? EndedAt)> States()
    {
        for (var agent = 1; agent <= Agents; agent++)
        {
            (string State, string? Reason, DateTimeOffset At)? previous = null;
            foreach (var state in StatesOf(agent))
            {
                if (previous is { } p)
                {
                    yield return (agent, p.State, p.Reason, p.At, state.At);
                }

                previous = state;
            }

            if (previous is { } last)
            {
                yield return (agent, last.State, last.Reason, last.At, null);
            }
        }
    }

    private IEnumerable<(string State, string? Reason, DateTimeOffset At)> StatesOf(int agent)
    {
        var random = new Random(Mix(seed, -agent));
        for (var day = Start.UtcDateTime.Date; day < end.UtcDateTime; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            var t = new DateTimeOffset(day.AddHours(8), TimeSpan.Zero).AddMinutes(random.Next(30));
            var close = t.AddHours(9);
            if (t >= end)
            {
                yield break;
            }

            yield return ("ready", null, t);
            while ((t = t.AddMinutes(3 + random.Next(45))) < close && t < end)
            {
                var r = random.Next(10);
                yield return r < 4 ? ("on_call", null, t) : r < 7 ? ("wrap_up", null, t) : r < 9 ? ("ready", null, t) : ("break", "Coffee", t);
            }

            if (close < end)
            {
                yield return ("offline", null, close);
            }
        }
    }
}

internal sealed record SeededActivity(string Kind, DateTimeOffset At, string Actor, string? Outcome, string Details);

internal sealed record SeededCall(long Agent, DateTimeOffset Started, DateTimeOffset? Answered, DateTimeOffset Ended, string Outcome);

internal sealed record SeededCase(
    long Id,
    long Campaign,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    string Status,
    long? Owner,
    DateTimeOffset? NextContact,
    DateOnly? ExpectedClose,
    string? LeadSource,
    string? ResignationReason,
    int Attempts,
    IReadOnlyList<SeededActivity> Activities,
    IReadOnlyList<SeededCall> Calls);
