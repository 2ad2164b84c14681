using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Dialing.Tests.Dialer;
using DialerCluster.Dialing.Tests.Grains;
using Microsoft.Extensions.Logging.Abstractions;

namespace DialerCluster.Dialing.Tests.Monitoring;

/// <summary>The dialer's metrics as the campaign grain, the call-event router and the sampler record them, through the grains.</summary>
public sealed class DialerMetricsTests(GrainSilo silo) : IClassFixture<GrainSilo>
{
    private const string Phone = "+4930123456";

    [Fact]
    public async Task A_connected_call_counts_one_human_answer_one_connect_and_one_talked_attempt_when_it_ends()
    {
        await using var world = new DialerWorld(silo);
        using var probe = new MetricsProbe(world.Meters);
        var (campaignId, agentId, dialed) = await DialedForAnAgentAsync(world);
        var campaign = ("campaign", campaignId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await world.RaiseAsync(campaignId, new CallAnswered(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), AnsweredBy.Human));
        Assert.NotNull(await world.LeadAsync(agentId, campaignId));

        Assert.Equal(1, probe.Sum("answers", campaign, ("outcome", "human")));
        Assert.Equal([0.0], probe.Values("answer.to.connect.seconds", campaign, ("mode", "progressive")));
        Assert.Equal(0, probe.Sum("dial.attempts"));
        Assert.Contains(probe.Observe("pacing.lines.per.agent"), m => m.Value == 1 && m.Tags["campaign"] == campaign.Item2 && m.Tags["mode"] == "progressive");

        world.Clock.Advance(TimeSpan.FromSeconds(60));
        await world.RaiseAsync(campaignId, new CallHungUp(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), HangUpParty.Customer));
        await world.Agent(agentId).CompleteAsync(CallOutcome.Talked);

        // The call counted once, when it ended: the agent's complete of a dialed case is not a second attempt.
        Assert.Equal(1, probe.Sum("dial.attempts", campaign, ("mode", "progressive"), ("outcome", "talked")));
        Assert.Equal(1, probe.Sum("dial.attempts"));
        Assert.Equal(0, probe.Sum("abandoned.calls"));
    }

    [Fact]
    public async Task An_answered_call_nobody_takes_within_two_seconds_counts_as_an_abandon_and_an_abandoned_attempt()
    {
        await using var world = new DialerWorld(silo);
        using var probe = new MetricsProbe(world.Meters);
        var (campaignId, agentId, dialed) = await DialedForAnAgentAsync(world);
        await world.StopWaitingAsync(agentId, campaignId);

        await world.RaiseAsync(campaignId, new CallAnswered(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), AnsweredBy.Human));
        world.Clock.Advance(TimeSpan.FromSeconds(1.8));
        await world.PaceAsync(campaignId, expectedNewDials: 0);

        Assert.Equal(1, probe.Sum("abandoned.calls", ("mode", "progressive")));
        Assert.Equal(1, probe.Sum("dial.attempts", ("outcome", "abandoned")));
        Assert.Equal(0, probe.Count("answer.to.connect.seconds"));
    }

    [Fact]
    public async Task A_failing_pacing_step_is_counted_and_a_campaign_that_paces_reads_zero_failures_until_then()
    {
        await using var world = new DialerWorld(silo);
        using var probe = new MetricsProbe(world.Meters);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var campaign = ("campaign", campaignId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        await world.StartNextCaseAsync(agentId, campaignId);
        Assert.True(await world.IsPacingAsync(campaignId));
        Assert.Equal(0, probe.Sum("pacing.failures", campaign, ("mode", "progressive")));
        Assert.Equal(1, probe.Count("pacing.failures", campaign, ("mode", "progressive")));

        // The first dial needs a line, and the line an agent row the database refuses: the step fails and dials nothing.
        world.Stores.AgentCreationFailure = new InvalidOperationException("the database refuses writes");
        await Assert.ThrowsAsync<InvalidOperationException>(() => world.CampaignTurns(campaignId).PaceAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => world.CampaignTurns(campaignId).PaceAsync());
        Assert.Equal(2, probe.Sum("pacing.failures", campaign, ("mode", "progressive")));
        Assert.Empty(world.Gateway.Originated);

        world.Stores.AgentCreationFailure = null;
        Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));
        Assert.Equal(2, probe.Sum("pacing.failures"));
    }

    [Theory]
    [InlineData(AnsweredBy.Machine, "machine", "voicemail")]
    [InlineData(null, null, "busy")]
    public async Task A_call_that_reaches_nobody_counts_its_outcome_and_a_machine_counts_as_a_machine_answer(AnsweredBy? by, string? answer, string outcome)
    {
        await using var world = new DialerWorld(silo);
        using var probe = new MetricsProbe(world.Meters);
        var (campaignId, _, dialed) = await DialedForAnAgentAsync(world);

        CallEvent result = by is { } answeredBy
            ? new CallAnswered(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), answeredBy)
            : new CallBusy(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow());
        await world.RaiseAsync(campaignId, result);

        Assert.Equal(1, probe.Sum("dial.attempts", ("outcome", outcome)));
        Assert.Equal(answer is null ? 0 : 1, probe.Sum("answers", ("outcome", answer ?? "machine")));
        Assert.Equal(0, probe.Sum("answers", ("outcome", "human")));
    }

    [Fact]
    public async Task A_preview_attempt_counts_when_the_agent_completes_it()
    {
        await using var world = new DialerWorld(silo);
        using var probe = new MetricsProbe(world.Meters);
        var campaignId = await world.CampaignAsync(new CampaignSettings { Name = "preview", DialMode = DialMode.Preview });
        await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        await world.Agent(agentId).SetStatusAsync(AgentState.Ready, null);
        await world.StartNextCaseAsync(agentId, campaignId);

        await world.Agent(agentId).CompleteAsync(CallOutcome.NoAnswer);

        Assert.Equal(1, probe.Sum("dial.attempts", ("mode", "preview"), ("outcome", "no_answer")));
    }

    [Fact]
    public async Task Agents_are_reported_in_every_state_and_queues_by_place_and_funnel_stage_zeros_included()
    {
        await using var world = new DialerWorld(silo);
        using var probe = new MetricsProbe(world.Meters);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        await world.AddCaseAsync(campaignId, Phone);
        await world.AddCaseAsync(campaignId, "+4930123457");
        var agentId = await world.AgentAsync(campaignId, "Ada");
        await world.Agent(agentId).SetStatusAsync(AgentState.Ready, null);

        var agents = probe.Observe("agents").ToDictionary(m => m.Tags["state"], m => m.Value);
        var queue = probe.Observe("queue.cases").ToDictionary(m => m.Tags["state"], m => m.Value);
        var funnel = probe.Observe("funnel.cases").ToDictionary(m => m.Tags["state"], m => m.Value);

        Assert.Equal(new Dictionary<string, double> { ["offline"] = 0, ["ready"] = 1, ["on_call"] = 0, ["wrap_up"] = 0, ["break"] = 0 }, agents);
        Assert.Equal(new Dictionary<string, double> { ["ready"] = 2, ["held"] = 0, ["pending"] = 0, ["parked"] = 0 }, queue);
        Assert.Equal(new Dictionary<string, double> { ["new"] = 2, ["in_acquisition"] = 0, ["offered"] = 0, ["won"] = 0, ["resigned"] = 0 }, funnel);
    }

    [Fact]
    public async Task The_sampler_reports_each_campaigns_abandon_rate_over_24_hours_and_30_days_from_the_calls()
    {
        await using var world = new DialerWorld(silo);
        using var probe = new MetricsProbe(world.Meters);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var quiet = await world.CampaignAsync(CallOutcomes.Progressive());
        var now = world.Clock.GetUtcNow();

        // Today: 4 answered by a person, 1 of them abandoned. Ten days ago: 4 more answered, 3 abandoned.
        await CallAsync(world.Calls, campaignId, now - TimeSpan.FromHours(1), answered: true, abandoned: true);
        for (var i = 0; i < 3; i++)
        {
            await CallAsync(world.Calls, campaignId, now - TimeSpan.FromHours(2), answered: true, abandoned: false);
        }

        await CallAsync(world.Calls, campaignId, now - TimeSpan.FromHours(3), answered: false, abandoned: false);
        for (var i = 0; i < 4; i++)
        {
            await CallAsync(world.Calls, campaignId, now - TimeSpan.FromDays(10), answered: true, abandoned: i < 3);
        }

        await CallAsync(world.Calls, campaignId, now - TimeSpan.FromDays(31), answered: true, abandoned: true);
        var sampler = new CampaignFiguresSampler(world.Stores, world.Calls, world.Metrics, world.Clock, NullLogger<CampaignFiguresSampler>.Instance);

        await sampler.SampleAsync(CancellationToken.None);

        var day = probe.Observe("abandon.rate.24h").ToDictionary(m => m.Tags["campaign"], m => m.Value);
        var month = probe.Observe("abandon.rate.30d").ToDictionary(m => m.Tags["campaign"], m => m.Value);
        Assert.Equal(0.25, day[campaignId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(0.5, month[campaignId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(0, day[quiet.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(DialMode.Progressive, world.Metrics.ModeOf(campaignId));
    }

    /// <summary>A progressive campaign with one case and one agent waiting for it, dialed.</summary>
    private static async Task<(long Campaign, long Agent, (CallId Call, OriginateRequest Request) Dialed)> DialedForAnAgentAsync(DialerWorld world)
    {
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        await world.StartNextCaseAsync(agentId, campaignId);
        return (campaignId, agentId, Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1)));
    }

    private static async Task CallAsync(ICallStore calls, long campaignId, DateTimeOffset at, bool answered, bool abandoned)
    {
        var id = await calls.StartAsync(new CallStart(1, campaignId, null, Phone, at), CancellationToken.None);
        var outcome = abandoned ? CallOutcome.Abandoned : answered ? CallOutcome.Talked : CallOutcome.NoAnswer;
        await calls.EndAsync(new CallEnd(id, null, answered ? at : null, at + TimeSpan.FromMinutes(1), outcome, abandoned), CancellationToken.None);
    }
}
