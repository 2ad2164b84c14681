using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Host.Api;

internal static class CampaignEndpoints
{
    public static RouteGroupBuilder MapCampaigns(this RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/campaigns").WithTags("Campaigns");
        campaigns.MapPost("/", CreateAsync).WithName("CreateCampaign");
        campaigns.MapGet("/", ListAsync).WithName("ListCampaigns");
        campaigns.MapGet("/{id}", GetAsync).WithName("GetCampaign");
        campaigns.MapPatch("/{id}", ChangeAsync).WithName("ChangeCampaign");
        campaigns.MapPut("/{id}/agents/{agentId}", AssignAsync).WithName("AssignAgent");
        campaigns.MapDelete("/{id}/agents/{agentId}", UnassignAsync).WithName("UnassignAgent");
        return campaigns;
    }

    private static async Task<IResult> CreateAsync(CampaignBody body, ICampaignStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Name))
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "name", "is required");
        }

        var settings = body.ApplyTo(new CampaignSettings { Name = body.Name });
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, errors);
        }

        var record = await store.CreateAsync(settings, cancellationToken);
        return Results.Created($"/api/campaigns/{record.Id}", CampaignResponse.From(record));
    }

    private static async Task<IResult> ListAsync(ICampaignStore store, LiveBoard board, CancellationToken cancellationToken)
    {
        var records = await store.ListAsync(cancellationToken);

        // Queue counts only for campaigns live on this node: listing must not load every campaign's cases.
        return Results.Ok(records.OrderBy(r => r.Id).Select(r => CampaignResponse.From(r, board.Campaign(r.Id)?.Counts)).ToArray());
    }

    private static async Task<IResult> GetAsync(long id, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var view = await grains.GetGrain<ICampaignGrain>(id).ViewAsync();
        return Results.Ok(CampaignResponse.From(view));
    }

    private static async Task<IResult> ChangeAsync(long id, CampaignBody body, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var campaign = grains.GetGrain<ICampaignGrain>(id);
        var view = await campaign.ViewAsync();
        var settings = body.ApplyTo(view.Record.Settings);
        var expected = body.Version ?? view.Record.Version;
        await campaign.ChangeSettingsAsync(settings, expected);
        var changed = await campaign.ViewAsync();
        return Results.Ok(CampaignResponse.From(changed));
    }

    private static async Task<IResult> AssignAsync(long id, long agentId, IGrainFactory grains, IAgentStore agents, CancellationToken cancellationToken)
    {
        if (await agents.GetAsync(agentId, cancellationToken) is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "agentId", $"no agent with id {agentId}");
        }

        await grains.GetGrain<ICampaignGrain>(id).AssignAgentAsync(agentId);
        return Results.NoContent();
    }

    private static async Task<IResult> UnassignAsync(long id, long agentId, IGrainFactory grains, IAgentStore agents, CancellationToken cancellationToken)
    {
        if (await agents.GetAsync(agentId, cancellationToken) is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "agentId", $"no agent with id {agentId}");
        }

        await grains.GetGrain<ICampaignGrain>(id).UnassignAgentAsync(agentId);
        return Results.NoContent();
    }
}
