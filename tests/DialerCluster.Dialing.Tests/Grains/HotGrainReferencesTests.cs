using DialerCluster.Dialing.Grains;

namespace DialerCluster.Dialing.Tests.Grains;

public sealed class HotGrainReferencesTests(GrainSilo silo) : IClassFixture<GrainSilo>
{
    [Fact]
    public void An_agent_and_a_campaign_get_the_same_reference_every_time()
    {
        var references = new HotGrainReferences(silo.Grains);

        Assert.Same(references.Agent(7), references.Agent(7));
        Assert.Same(references.Campaign(7), references.Campaign(7));
        Assert.NotSame(references.Agent(7), references.Agent(8));
        Assert.Equal(silo.Grains.GetGrain<IAgentGrain>(7).GetGrainId(), references.Agent(7).GetGrainId());
        Assert.Equal(silo.Grains.GetGrain<ICampaignGrain>(7).GetGrainId(), references.Campaign(7).GetGrainId());
    }

    [Fact]
    public void The_cache_starts_over_at_its_capacity_instead_of_growing_with_every_id_asked_for()
    {
        var references = new HotGrainReferences(silo.Grains);
        var first = references.Agent(0);
        for (var id = 1; id < HotGrainReferences.Capacity; id++)
        {
            references.Agent(id);
        }

        Assert.Same(first, references.Agent(0));
        references.Agent(HotGrainReferences.Capacity);

        Assert.NotSame(first, references.Agent(0));
        Assert.Equal(first.GetGrainId(), references.Agent(0).GetGrainId());
    }
}
