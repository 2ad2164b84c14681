using System.Globalization;
using DialerCluster.Dialing.Forecasting;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Reports;

namespace DialerCluster.Host.Reports;

/// <summary>Reads a report from the store and shapes it into what the page shows and the exports write.</summary>
internal sealed class ReportBuilder(IReportStore reports, [FromKeyedServices(DialerClock.Key)] TimeProvider time)
{
    private static readonly CaseStatus[] FunnelStages = [CaseStatus.New, CaseStatus.InAcquisition, CaseStatus.Offered, CaseStatus.Won];

    /// <summary>
    /// The report as of a moment (default now): nothing after it is counted and states still going end there, so the
    /// page and its exports, which pass the page's moment back, show the same numbers.
    /// </summary>
    public async Task<ReportTable> BuildAsync(string report, ReportFilter filter, int weeks, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        var now = asOf ?? time.GetUtcNow();

        // Up to and including that moment (instants are kept to the millisecond).
        var end = now.AddMilliseconds(1);
        var upToNow = filter.To > end ? filter with { To = end > filter.From ? end : filter.From } : filter;
        var table = report switch
        {
            ReportKind.Funnel => Funnel(filter, await reports.FunnelAsync(upToNow, cancellationToken)),
            ReportKind.Agents => Agents(filter, await reports.AgentsAsync(upToNow, now, cancellationToken)),
            ReportKind.Resignations => Resignations(filter, await reports.ResignationsAsync(upToNow, cancellationToken)),
            ReportKind.SalesCycle => SalesCycle(filter, await reports.SalesCycleAsync(upToNow, cancellationToken)),
            ReportKind.LeadSources => LeadSources(filter, await reports.LeadSourcesAsync(upToNow, cancellationToken)),
            ReportKind.CallOutcomes => CallOutcomes(filter, await reports.CallOutcomesAsync(upToNow, cancellationToken)),
            ReportKind.Forecast => Forecast(filter, SalesForecast.Compute(await reports.ForecastInputsAsync(
                new ForecastQuery(now, weeks, filter.CampaignId, filter.LeadSource), cancellationToken))),
            // The budget is the whole chosen period's; the cost is what was spent in it so far.
            ReportKind.Costs => Costs(filter, CostOfAcquisition.Compute(await reports.SpendAsync(upToNow, now, cancellationToken) with { To = filter.To })),
            _ => throw new ArgumentOutOfRangeException(nameof(report), report, "Not a report."),
        };
        return table with { AsOf = now };
    }

    private static ReportTable Funnel(ReportFilter filter, FunnelCounts counts)
    {
        var rows = new List<IReadOnlyList<object?>>();
        for (var i = 0; i < FunnelStages.Length; i++)
        {
            var stage = FunnelStages[i];
            var reached = counts.Reached.GetValueOrDefault(stage);
            object? toNext = i + 1 < FunnelStages.Length ? Percent(counts.Reached.GetValueOrDefault(FunnelStages[i + 1]), reached) : null;
            object? resigned = stage == CaseStatus.Won ? null : counts.ResignedFrom.GetValueOrDefault(stage);
            rows.Add([StageName(stage), reached, Percent(reached, counts.Cases), toNext, resigned]);
        }

        return new ReportTable(
            ReportKind.Funnel,
            "Funnel conversion",
            filter.From,
            filter.To,
            [
                new("stage", "Stage", ColumnKind.Text),
                new("reached", "Cases reached", ColumnKind.Count),
                new("ofCohort", "Of all created %", ColumnKind.Percent),
                new("toNext", "On to next stage %", ColumnKind.Percent),
                new("resigned", "Resigned from here", ColumnKind.Count),
            ],
            rows,
            new ReportChart(
                "bar",
                FunnelStages.Select(StageName).ToArray(),
                [
                    new("Cases reached", FunnelStages.Select(s => (double?)counts.Reached.GetValueOrDefault(s)).ToArray()),
                    new("Resigned from here", FunnelStages.Select(s => s == CaseStatus.Won ? null : (double?)counts.ResignedFrom.GetValueOrDefault(s)).ToArray()),
                ]),
            [
                $"The cohort: the {counts.Cases} cases created in the period, followed to today.",
                "A case has reached a stage when its history shows it there or further (a client who skipped a stage passed it).",
                "With an agent chosen: the cases that agent owns or moved.",
            ]);
    }

    private static ReportTable Agents(ReportFilter filter, IReadOnlyList<AgentCounts> agents)
    {
        var rows = agents.Select(a =>
        {
            var handling = a.OnCall + a.WrapUp;
            var available = handling + a.Ready;
            return (IReadOnlyList<object?>)
            [
                a.AgentName,
                a.Calls,
                Hours(a.Talk),
                Hours(a.WrapUp),
                available > TimeSpan.Zero ? Percent(handling.Ticks, available.Ticks) : null,
                a.ToAcquisition,
                a.ToOffered,
                a.Won,
                a.Resigned,
                a.AverageRating is { } rating ? Round(rating) : null,
                a.Ratings,
            ];
        }).ToArray();
        return new ReportTable(
            ReportKind.Agents,
            "Agent results",
            filter.From,
            filter.To,
            [
                new("agent", "Agent", ColumnKind.Text),
                new("calls", "Calls", ColumnKind.Count),
                new("talkHours", "Talk (h)", ColumnKind.Number),
                new("wrapUpHours", "Wrap-up (h)", ColumnKind.Number),
                new("occupancy", "Occupancy %", ColumnKind.Percent),
                new("toAcquisition", "Moved to in acquisition", ColumnKind.Count),
                new("toOffered", "Moved to offered", ColumnKind.Count),
                new("won", "Won", ColumnKind.Count),
                new("resigned", "Resigned", ColumnKind.Count),
                new("rating", "Average rating", ColumnKind.Number),
                new("ratings", "Ratings", ColumnKind.Count),
            ],
            rows,
            new ReportChart(
                "bar",
                agents.Select(a => a.AgentName).ToArray(),
                [
                    new("Moved to in acquisition", agents.Select(a => (double?)a.ToAcquisition).ToArray()),
                    new("Won", agents.Select(a => (double?)a.Won).ToArray()),
                    new("Resigned", agents.Select(a => (double?)a.Resigned).ToArray()),
                ]),
            [
                "Calls and talk: the dialed calls the agent was connected to (the call log). Moves: stage changes the agent made.",
                "Wrap-up and occupancy come from the agent's state log, which has no campaign: with a campaign chosen they are still the agent's whole time.",
                "Occupancy: on a call or in wrap-up, over that plus ready time.",
            ]);
    }

    private static ReportTable Resignations(ReportFilter filter, IReadOnlyList<ResignationCounts> reasons)
    {
        var total = reasons.Sum(r => r.Cases);
        static string Name(ResignationCounts r) => r.Reason.Length == 0 ? "(no reason given)" : r.Reason;
        return new ReportTable(
            ReportKind.Resignations,
            "Resignation reasons",
            filter.From,
            filter.To,
            [
                new("reason", "Reason", ColumnKind.Text),
                new("cases", "Cases", ColumnKind.Count),
                new("share", "Share %", ColumnKind.Percent),
                new("fromNew", "From new", ColumnKind.Count),
                new("fromAcquisition", "From in acquisition", ColumnKind.Count),
                new("fromOffered", "From offered", ColumnKind.Count),
            ],
            reasons.Select(r => (IReadOnlyList<object?>)[Name(r), r.Cases, Percent(r.Cases, total), r.FromNew, r.FromAcquisition, r.FromOffered]).ToArray(),
            new ReportChart("bar", reasons.Select(Name).ToArray(), [new("Cases", reasons.Select(r => (double?)r.Cases).ToArray())]),
            ["Cases that resigned in the period, by the reason on the case and the stage they left from."]);
    }

    private static ReportTable SalesCycle(ReportFilter filter, SalesCycleCounts cycle)
    {
        var ends = SalesCycleCounts.BucketEnds;
        var labels = Enumerable.Range(0, ends.Count + 1).Select(i => i == 0
            ? $"Under {ends[0]} day"
            : i == ends.Count
                ? $"{ends[^1]} days or more"
                : $"{ends[i - 1]} to {ends[i]} days").ToArray();
        var rows = new List<IReadOnlyList<object?>>
        {
            new object?[] { "Won cases", cycle.Won },
            new object?[] { "Median (days)", cycle.MedianDays is { } median ? Round(median) : null },
            new object?[] { "Mean (days)", cycle.MeanDays is { } mean ? Round(mean) : null },
        };
        rows.AddRange(labels.Select((label, i) => (IReadOnlyList<object?>)[label, cycle.PerBucket[i]]));
        return new ReportTable(
            ReportKind.SalesCycle,
            "Sales cycle length",
            filter.From,
            filter.To,
            [new("measure", "Measure", ColumnKind.Text), new("value", "Value", ColumnKind.Number)],
            rows,
            new ReportChart("bar", labels, [new("Won cases", cycle.PerBucket.Select(c => (double?)c).ToArray())]),
            ["The cases won in the period, from their first contact (first call attempt or stage move) to the move to won."]);
    }

    private static ReportTable LeadSources(ReportFilter filter, IReadOnlyList<LeadSourceCounts> sources) => new(
        ReportKind.LeadSources,
        "Lead-source effectiveness",
        filter.From,
        filter.To,
        [
            new("leadSource", "Lead source", ColumnKind.Text),
            new("cases", "Cases", ColumnKind.Count),
            new("offered", "Reached offered", ColumnKind.Count),
            new("won", "Won", ColumnKind.Count),
            new("resigned", "Resigned", ColumnKind.Count),
            new("conversion", "Won of all %", ColumnKind.Percent),
            new("winRate", "Won of closed %", ColumnKind.Percent),
        ],
        sources.Select(s => (IReadOnlyList<object?>)
            [s.LeadSource, s.Cases, s.ReachedOffered, s.Won, s.Resigned, Percent(s.Won, s.Cases), Percent(s.Won, s.Won + s.Resigned)]).ToArray(),
        new ReportChart(
            "bar",
            sources.Select(s => s.LeadSource).ToArray(),
            [new("Cases", sources.Select(s => (double?)s.Cases).ToArray()), new("Won", sources.Select(s => (double?)s.Won).ToArray())]),
        ["The cases created in the period with a lead source, followed to today."]);

    private static ReportTable CallOutcomes(ReportFilter filter, IReadOnlyList<CallOutcomeCounts> outcomes)
    {
        var total = outcomes.Sum(o => o.Calls);
        return new ReportTable(
            ReportKind.CallOutcomes,
            "Call outcomes",
            filter.From,
            filter.To,
            [
                new("outcome", "Outcome", ColumnKind.Text),
                new("calls", "Calls", ColumnKind.Count),
                new("share", "Share %", ColumnKind.Percent),
                new("answered", "Answered", ColumnKind.Count),
                new("talkHours", "Talk (h)", ColumnKind.Number),
                new("averageTalk", "Average talk (min)", ColumnKind.Number),
            ],
            outcomes.Select(o => (IReadOnlyList<object?>)
            [
                OutcomeName(o.Outcome), o.Calls, Percent(o.Calls, total), o.Answered, Hours(o.Talk),
                o.Answered > 0 ? Round(o.Talk.TotalMinutes / o.Answered) : null,
            ]).ToArray(),
            new ReportChart("bar", outcomes.Select(o => OutcomeName(o.Outcome)).ToArray(), [new("Calls", outcomes.Select(o => (double?)o.Calls).ToArray())]),
            ["The dialed calls started in the period (the call log), by how they ended."]);
    }

    private static ReportTable Forecast(ReportFilter filter, SalesForecastResult forecast)
    {
        var weeks = forecast.Weeks;
        var rows = weeks.Select(w => (IReadOnlyList<object?>)
        [
            w.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            RoundOrNull(w.ActualWins),
            MoneyOrNull(w.ActualValue),
            RoundOrNull(w.StageWeightedWins),
            MoneyOrNull(w.StageWeightedValue),
            RoundOrNull(w.CycleWins),
            MoneyOrNull(w.CycleValue),
            RoundOrNull(w.TrendWins),
            MoneyOrNull(w.TrendValue),
        ]).ToArray();
        var probabilities = string.Join(", ", StageProbabilities.OpenStages.Select(s =>
            $"{StageName(s)} {(forecast.StageProbabilities[s] * 100).ToString("0.0", CultureInfo.InvariantCulture)} %"));
        return new ReportTable(
            ReportKind.Forecast,
            "Sales forecast",
            filter.From,
            filter.To,
            [
                new("week", "Week from", ColumnKind.Text),
                new("actual", "Actual won", ColumnKind.Number),
                new("actualValue", "Actual value", ColumnKind.Money),
                new("stageWeighted", "Stage-weighted won", ColumnKind.Number),
                new("stageWeightedValue", "Stage-weighted value", ColumnKind.Money),
                new("cycle", "From cycle length won", ColumnKind.Number),
                new("cycleValue", "From cycle length value", ColumnKind.Money),
                new("trend", "From trend won", ColumnKind.Number),
                new("trendValue", "From trend value", ColumnKind.Money),
            ],
            rows,
            new ReportChart(
                "line",
                rows.Select(r => (string)r[0]!).ToArray(),
                [
                    new("Actual", weeks.Select(w => w.ActualWins).ToArray()),
                    new("Stage-weighted", weeks.Select(w => w.StageWeightedWins).ToArray()),
                    new("From cycle length", weeks.Select(w => w.CycleWins).ToArray()),
                    new("From trend", weeks.Select(w => w.TrendWins).ToArray()),
                ]),
            [
                $"Expected won deals per week from now, by three methods; the last {ForecastQuery.RecentWeeks} weeks' actual wins beside them. Value: wins times the campaign's deal value.",
                $"Stage-weighted: each open case counts its stage's win probability in the week of its expected close date (overdue: this week; none: spread evenly). Probabilities used: {probabilities}, learned from {forecast.ClosedCases} cases closed in the last {ForecastQuery.LearnWeeks} weeks and pulled toward defaults (5 %, 25 %, 50 %) while that history is thin.",
                forecast.CycleCases >= SalesForecast.MinimumCycleHistory
                    ? $"From cycle length: how long the {forecast.CycleCases} closed cases took from first contact, applied to each open case's age. From trend: the straight line through the recent weeks."
                    : $"From cycle length: no forecast yet, {forecast.CycleCases} closed cases are too few to tell how long a sale takes (it needs {SalesForecast.MinimumCycleHistory}). From trend: the straight line through the recent weeks.",
                $"Stage-weighted wins expected after the horizon: {forecast.BeyondHorizon.ToString("0.##", CultureInfo.InvariantCulture)}. The period chosen above does not apply: the forecast starts today.",
            ]);
    }

    private static ReportTable Costs(ReportFilter filter, SpendReport spend) => new(
        ReportKind.Costs,
        "Cost and budget",
        filter.From,
        filter.To,
        [
            new("campaign", "Campaign", ColumnKind.Text),
            new("agentHours", "Agent hours", ColumnKind.Number),
            new("callMinutes", "Call minutes", ColumnKind.Number),
            new("agentCost", "Agent cost", ColumnKind.Money),
            new("callCost", "Call cost", ColumnKind.Money),
            new("cost", "Cost", ColumnKind.Money),
            new("won", "Clients acquired", ColumnKind.Count),
            new("costPerAcquisition", "Cost per acquired client", ColumnKind.Money),
            new("budget", "Budget for the period", ColumnKind.Money),
            new("budgetUsed", "Budget used %", ColumnKind.Percent),
        ],
        spend.Campaigns.Select(c => (IReadOnlyList<object?>)
        [
            c.Name, Round(c.AgentHours), Round(c.CallMinutes), c.AgentCost, c.CallCost, c.Cost, c.Won, c.CostPerAcquisition, c.BudgetForPeriod,
            c.BudgetUsed is { } used ? decimal.Round((decimal)used * 100, 1, MidpointRounding.AwayFromZero) : null,
        ]).ToArray(),
        new ReportChart(
            "bar",
            spend.Campaigns.Select(c => c.Name).ToArray(),
            [
                new("Cost", spend.Campaigns.Select(c => (double?)c.Cost).ToArray()),
                new("Budget for the period", spend.Campaigns.Select(c => (double?)c.BudgetForPeriod).ToArray()),
                new("Cost per acquired client", spend.Campaigns.Select(c => (double?)c.CostPerAcquisition).ToArray()),
            ]),
        [
            "Agent hours: each agent's signed-in time (breaks included) shared among the campaigns they talked in, by talk time; call minutes: connected time of the campaign's calls.",
            $"Signed-in hours of agents who talked in no campaign, so placed in none: {Round(spend.UnattributedAgentHours).ToString(CultureInfo.InvariantCulture)}.",
            "Budget for the period: the weekly or monthly budget spread over the period's days. The agent and lead-source filters do not apply here.",
        ]);

    private static string StageName(CaseStatus stage) => stage switch
    {
        CaseStatus.New => "New",
        CaseStatus.InAcquisition => "In acquisition",
        CaseStatus.Offered => "Offered",
        CaseStatus.Won => "Won",
        _ => "Resigned",
    };

    private static string OutcomeName(string outcome) => outcome switch
    {
        "no_answer" => "No answer",
        "in_progress" => "In progress",
        _ => outcome.Length == 0 ? outcome : char.ToUpperInvariant(outcome[0]) + outcome[1..].Replace('_', ' '),
    };

    private static decimal? Percent(long part, long whole) =>
        whole > 0 ? decimal.Round(part * 100m / whole, 1, MidpointRounding.AwayFromZero) : null;

    private static decimal Round(double value) => decimal.Round((decimal)value, 2, MidpointRounding.AwayFromZero);

    private static decimal Hours(TimeSpan time) => Round(time.TotalHours);

    private static decimal? RoundOrNull(double? value) => value is { } v ? Round(v) : null;

    private static decimal? MoneyOrNull(double? value) => value is { } v ? Round(v) : null;
}
