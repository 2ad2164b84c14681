using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// The dialer's own figures, one meter ("DialerCluster") created through the host's <see cref="IMeterFactory"/>, so two
/// hosts in one process never count each other's calls. Exported by whatever listens to System.Diagnostics.Metrics
/// (prometheus-net's meter adapter on /metrics; an OpenTelemetry exporter works the same), which names a Prometheus
/// series "dialercluster_" + the instrument name with dots as underscores.
/// </summary>
/// <remarks>
/// Labels are bounded on purpose: campaign (its id), mode, outcome and state, never a case, call, contact or user id,
/// so the number of series grows with campaigns, not with traffic. Grains call in with one line per event; gauges
/// are read at scrape time from the live board (agents, queues) and from <see cref="CampaignFiguresSampler"/>
/// (abandon rates over the regulatory windows, computed from the calls table).
/// </remarks>
public sealed class DialerMetrics : IDisposable
{
    public const string MeterName = "DialerCluster";

    /// <summary>Buckets around the 2 s rule (FCC 47 CFR 64.1200(a)(7)): a connect after 2 s is an abandon.</summary>
    public static readonly IReadOnlyList<double> AnswerToConnectBuckets = [0.1, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 5];

    /// <summary>Next case: a preview hold answers in milliseconds, a dialed lead after seconds of ringing.</summary>
    public static readonly IReadOnlyList<double> NextCaseBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

    /// <summary>A durable hold is one group commit: an fsync of a few milliseconds, more under load.</summary>
    public static readonly IReadOnlyList<double> HoldCommitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    /// <summary>A campaign that stopped pacing this long ago runs no lines (its last decision no longer holds).</summary>
    private static readonly TimeSpan PacingFreshFor = TimeSpan.FromSeconds(30);

    private static readonly AgentState[] AgentStates = Enum.GetValues<AgentState>();

    private readonly Meter _meter;
    private readonly LiveBoard _board;
    private readonly TimeProvider _time;
    private readonly Counter<long> _dialAttempts;
    private readonly Counter<long> _answers;
    private readonly Counter<long> _abandoned;
    private readonly Counter<long> _importRows;
    private readonly Counter<long> _signInFailures;
    private readonly Counter<long> _outcomeUnknown;
    private readonly Counter<long> _pacingFailures;
    private readonly Histogram<double> _answerToConnect;
    private readonly Histogram<double> _nextCase;
    private readonly Histogram<double> _holdCommit;
    private readonly ConcurrentDictionary<long, string> _campaignLabels = new();
    private readonly ConcurrentDictionary<long, PacingFigure> _pacing = new();
    private volatile IReadOnlyDictionary<long, CampaignFigures> _figures = new Dictionary<long, CampaignFigures>();

    public DialerMetrics(IMeterFactory meters, LiveBoard board, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(board);
        _board = board;
        _time = time ?? TimeProvider.System;
        _meter = meters.Create(MeterName);
        _dialAttempts = _meter.CreateCounter<long>(
            "dial.attempts", "{call}", "Calls placed by the dialer (and preview attempts reported by agents) that ended, by campaign, mode and outcome.");
        _answers = _meter.CreateCounter<long>(
            "answers", "{call}", "Calls answered, by campaign and who answered (outcome human or machine), as the carrier reports them.");
        _abandoned = _meter.CreateCounter<long>(
            "abandoned.calls", "{call}", "Calls answered by a person with no agent within 2 s (abandoned), by campaign and mode.");
        _importRows = _meter.CreateCounter<long>(
            "import.rows", "{row}", "Contact import rows, by outcome (accepted or rejected).");
        _signInFailures = _meter.CreateCounter<long>(
            "sign.in.failures", "{attempt}", "Sign-ins refused (unknown user name or wrong password).");
        _outcomeUnknown = _meter.CreateCounter<long>(
            "outcome.unknown.cases", "{case}", "Cases a campaign activation found with a call an earlier activation left up (outcome unknown, e.g. its node died), quarantined before any redial, by campaign.");
        _pacingFailures = _meter.CreateCounter<long>(
            "pacing.failures", "{step}", "Pacing steps that failed, by campaign and mode. While every step fails, the campaign dials nothing.");
        _answerToConnect = _meter.CreateHistogram(
            "answer.to.connect.seconds", "s", "Time from a person answering to an agent connected, by campaign and mode.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AnswerToConnectBuckets });
        _nextCase = _meter.CreateHistogram(
            "next.case.seconds", "s", "Next case requests as the agent waits for them, by mode and outcome (offered or none).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = NextCaseBuckets });
        _holdCommit = _meter.CreateHistogram(
            "hold.commit.seconds", "s", "Durable holds of a case, from queueing the write to its group commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HoldCommitBuckets });

        _meter.CreateObservableGauge("agents", ObserveAgents, "{agent}", "Agents on this node's live board, by state.");
        _meter.CreateObservableGauge("queue.cases", ObserveQueue, "{case}", "Open cases of a campaign by place in the queue (state ready, held, pending, parked).");
        _meter.CreateObservableGauge("funnel.cases", ObserveFunnel, "{case}", "Cases of a campaign by funnel stage (state new, in_acquisition, offered, won, resigned).");
        _meter.CreateObservableGauge("abandon.rate.24h", () => ObserveAbandonRate(f => f.Day), "1", "Abandoned share of person-answered calls over the last 24 hours, per campaign (UK Ofcom window).");
        _meter.CreateObservableGauge("abandon.rate.30d", () => ObserveAbandonRate(f => f.Month), "1", "Abandoned share of person-answered calls over the last 30 days, per campaign (US FCC window).");
        _meter.CreateObservableGauge("pacing.lines.per.agent", ObservePacing, "{call}", "Lines the pacer runs per logged-in agent (in flight plus dialed now), per campaign and mode.");
    }

    /// <summary>A dialed call ended (every dialed call ends exactly once), or an agent completed a preview attempt.</summary>
    public void CallEnded(long campaignId, DialMode mode, CallOutcome outcome)
    {
        var campaign = CampaignLabel(campaignId);
        _dialAttempts.Add(1, new("campaign", campaign), new("mode", mode.ToWire()), new("outcome", outcome.ToWire()));
        if (outcome == CallOutcome.Abandoned)
        {
            _abandoned.Add(1, new("campaign", campaign), new("mode", mode.ToWire()));
        }
    }

    /// <summary>
    /// An agent completed their case. Only a preview attempt counts here: the agent dialed it by hand. In the dialing
    /// modes the campaign counts each call itself when it ends (<see cref="CallEnded"/>).
    /// </summary>
    public void CaseCompleted(long campaignId, DialMode mode, CallOutcome outcome)
    {
        if (mode == DialMode.Preview)
        {
            CallEnded(campaignId, mode, outcome);
        }
    }

    public void Answered(long campaignId, AnsweredBy by) =>
        _answers.Add(1, new("campaign", CampaignLabel(campaignId)), new("outcome", by == AnsweredBy.Human ? "human" : "machine"));

    /// <summary>An answered call reached an agent.</summary>
    public void Connected(long campaignId, DialMode mode, TimeSpan afterAnswer) =>
        _answerToConnect.Record(afterAnswer.TotalSeconds, new("campaign", CampaignLabel(campaignId)), new("mode", mode.ToWire()));

    /// <summary>One pacing decision: lines to dial now on top of those in flight, for the logged-in agents.</summary>
    public void Paced(long campaignId, DialMode mode, int linesNow, int inFlight, int agents) =>
        _pacing[campaignId] = new PacingFigure(mode, (linesNow + inFlight) / (double)Math.Max(1, agents), _time.GetUtcNow());

    public void NextCaseAnswered(DialMode mode, bool offered, TimeSpan elapsed) =>
        _nextCase.Record(elapsed.TotalSeconds, new("mode", mode.ToWire()), new("outcome", offered ? "offered" : "none"));

    public void HoldCommitted(TimeSpan elapsed) => _holdCommit.Record(elapsed.TotalSeconds);

    public void ImportFinished(int accepted, int rejected)
    {
        _importRows.Add(accepted, new KeyValuePair<string, object?>("outcome", "accepted"));
        _importRows.Add(rejected, new KeyValuePair<string, object?>("outcome", "rejected"));
    }

    public void SignInFailed() => _signInFailures.Add(1);

    /// <summary>A new campaign activation quarantined <paramref name="cases"/> cases whose calls an earlier one left up.</summary>
    public void OutcomeUnknown(long campaignId, int cases) => _outcomeUnknown.Add(cases, new KeyValuePair<string, object?>("campaign", CampaignLabel(campaignId)));

    /// <summary>
    /// A campaign activation started pacing: its failure count reads 0 from now on instead of nothing, so that the alert
    /// on failing steps watches a series from the first step on.
    /// </summary>
    public void PacingStarted(long campaignId, DialMode mode) => _pacingFailures.Add(0, new("campaign", CampaignLabel(campaignId)), new("mode", mode.ToWire()));

    public void PacingFailed(long campaignId, DialMode mode) => _pacingFailures.Add(1, new("campaign", CampaignLabel(campaignId)), new("mode", mode.ToWire()));

    /// <summary>The sampler's latest read of the campaigns: their modes and abandon rates.</summary>
    public void Publish(IEnumerable<CampaignFigures> figures) => _figures = figures.ToDictionary(f => f.CampaignId);

    /// <summary>The campaign's mode as last sampled; null for a campaign the sampler has not seen yet.</summary>
    public DialMode? ModeOf(long campaignId) => _figures.TryGetValue(campaignId, out var figure) ? figure.Mode : null;

    public void Dispose() => _meter.Dispose();

    private string CampaignLabel(long campaignId) =>
        _campaignLabels.GetOrAdd(campaignId, static id => id.ToString(CultureInfo.InvariantCulture));

    private IEnumerable<Measurement<int>> ObserveAgents()
    {
        // Every state every time, zeros included: a state nobody is in must read 0, not its last count.
        var counts = new int[AgentStates.Length];
        foreach (var agent in _board.Snapshot().Agents)
        {
            counts[Array.IndexOf(AgentStates, agent.State)]++;
        }

        for (var i = 0; i < AgentStates.Length; i++)
        {
            yield return new Measurement<int>(counts[i], new KeyValuePair<string, object?>("state", AgentStates[i].ToWire()));
        }
    }

    private IEnumerable<Measurement<int>> ObserveQueue()
    {
        foreach (var campaign in _board.Snapshot().Campaigns)
        {
            var label = new KeyValuePair<string, object?>("campaign", CampaignLabel(campaign.CampaignId));
            var counts = campaign.Counts;
            yield return new Measurement<int>(counts.Ready, label, new("state", "ready"));
            yield return new Measurement<int>(counts.Held, label, new("state", "held"));
            yield return new Measurement<int>(counts.Pending, label, new("state", "pending"));
            yield return new Measurement<int>(counts.Parked, label, new("state", "parked"));
        }
    }

    private IEnumerable<Measurement<int>> ObserveFunnel()
    {
        foreach (var campaign in _board.Snapshot().Campaigns)
        {
            var label = new KeyValuePair<string, object?>("campaign", CampaignLabel(campaign.CampaignId));
            foreach (var status in Enum.GetValues<CaseStatus>())
            {
                yield return new Measurement<int>(campaign.Counts.OfStatus(status), label, new("state", status.ToWire()));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveAbandonRate(Func<CampaignFigures, AbandonCounts> window)
    {
        foreach (var figure in _figures.Values)
        {
            yield return new Measurement<double>(window(figure).Rate, new KeyValuePair<string, object?>("campaign", CampaignLabel(figure.CampaignId)));
        }
    }

    private IEnumerable<Measurement<double>> ObservePacing()
    {
        var now = _time.GetUtcNow();
        foreach (var (campaignId, figure) in _pacing)
        {
            var lines = now - figure.At <= PacingFreshFor ? figure.LinesPerAgent : 0;
            yield return new Measurement<double>(lines, new("campaign", CampaignLabel(campaignId)), new("mode", figure.Mode.ToWire()));
        }
    }

    private sealed record PacingFigure(DialMode Mode, double LinesPerAgent, DateTimeOffset At);
}

/// <summary>Answered (by a person) and abandoned calls over a window. The rate is 0 while nothing was answered.</summary>
public readonly record struct AbandonCounts(int Answered, int Abandoned)
{
    public double Rate => Answered == 0 ? 0 : Abandoned / (double)Answered;
}

/// <summary>A campaign as the figures sampler last read it from the database.</summary>
public sealed record CampaignFigures(long CampaignId, DialMode Mode, AbandonCounts Day, AbandonCounts Month);
