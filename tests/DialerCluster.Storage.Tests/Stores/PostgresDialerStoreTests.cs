using DialerCluster.Dialing.Stores;
using DialerCluster.Testing;
using Npgsql;

namespace DialerCluster.Storage.Tests;

/// <summary>The store suite on a real PostgreSQL server, and what only PostgreSQL has.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDialerStoreTests(PostgresServer server) : DialerStoreTests
{
    [Fact]
    public async Task A_hold_of_the_old_epoch_that_is_still_in_flight_never_lands_after_the_claim_of_a_new_one()
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 1);
        var stale = await Campaigns.ClaimEpochAsync(campaign, CancellationToken.None);

        // Park a hold of the old epoch mid-statement: another transaction holds the case row, so the hold has read its
        // fence and waits on the row. A new activation then claims the campaign. Whichever order the database picks,
        // the hold must either be committed before the claim is, or be refused: never land after it.
        await using var rowLock = new NpgsqlConnection(((PostgresStoreEngine)Engine).ConnectionString);
        await rowLock.OpenAsync();
        await using var blocking = await rowLock.BeginTransactionAsync();
        await using (var select = new NpgsqlCommand($"SELECT id FROM cases WHERE id = {ids[0]} FOR UPDATE", rowLock, blocking))
        {
            await select.ExecuteNonQueryAsync();
        }

        var hold = Cases.TryHoldAsync(ids[0], ada, T0, stale, CancellationToken.None);
        await WaitUntilWaitingOnALockAsync();
        var claim = Campaigns.ClaimEpochAsync(campaign, CancellationToken.None);
        var claimedFirst = await Task.WhenAny(claim, Task.Delay(TimeSpan.FromSeconds(2))) == claim;
        var heldWhenClaimed = claimedFirst ? (await Cases.GetAsync(ids[0], CancellationToken.None))!.HolderAgentId : null;
        await blocking.CommitAsync();
        var held = await hold;
        await claim;

        // The claim had to wait for the hold that had read the old epoch (its share lock on the campaign row).
        Assert.False(claimedFirst, "the claim committed while a hold of the old epoch was still in flight");
        Assert.Null(heldWhenClaimed);
        Assert.NotNull(held);
    }

    internal override async Task<IStoreEngine> CreateEngineAsync() => await PostgresStoreEngine.CreateAsync(server);

    private async Task WaitUntilWaitingOnALockAsync()
    {
        // A wait for the hold's statement to reach the row lock, not a timing assertion.
        for (var i = 0; i < 500 && await ScalarAsync("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 0; i++)
        {
            await Task.Delay(10);
        }
    }
}
