using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Dialing.Tests.Grains;

namespace DialerCluster.Dialing.Tests.Dialer;

public sealed class PacingMemoryGrainTests(GrainSilo silo) : IClassFixture<GrainSilo>
{
    [Fact]
    public async Task A_campaign_started_again_on_another_node_paces_on_what_it_had_learnt()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var agentId = await world.AgentAsync(campaignId, "Ada");
        for (var i = 0; i < 4; i++)
        {
            await world.AddCaseAsync(campaignId, $"+49301234{50 + i}");
        }

        // Four dials nobody answers: the answer rate falls from its prior.
        await world.StartNextCaseAsync(agentId, campaignId);
        for (var i = 0; i < 4; i++)
        {
            var dialed = Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));
            world.Clock.Advance(TimeSpan.FromSeconds(20));
            await world.RaiseAsync(campaignId, new CallNoAnswer(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow()));
        }

        world.Clock.Advance(CampaignGrain.RememberPacingEvery);
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        var learnt = world.Board.Campaign(campaignId)!.Dialing!;

        await using var other = await world.OtherNodeAsync();
        await other.CampaignViewAsync(campaignId);
        var recalled = other.Board.Campaign(campaignId)!.Dialing!;

        Assert.True(learnt.EstimatedAnswerRate < 0.2, $"four unanswered dials lower the rate below its 20% prior, not {learnt.EstimatedAnswerRate}");
        Assert.Equal(learnt.EstimatedAnswerRate, recalled.EstimatedAnswerRate);
        Assert.Null(recalled.AnswerRate);
        Assert.Equal(learnt.AbandonRate, recalled.AbandonRate);
    }
}
