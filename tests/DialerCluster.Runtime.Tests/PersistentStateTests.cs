using System.Text;
using DialerCluster.Runtime.Tests.Support;

namespace DialerCluster.Runtime.Tests;

public sealed class PersistentStateTests
{
    [Fact]
    public async Task State_is_read_before_activation_and_written_with_a_new_etag()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<StatefulGrain>("s");

        Assert.Null(await grain.CallAsync(static (g, _) => g.ETag()));
        var first = await grain.CallAsync(static (g, _) => g.Save(7));
        var second = await grain.CallAsync(static (g, _) => g.Save(8));

        Assert.NotNull(first);
        Assert.NotEqual(first, second);
        var stored = await rt.Storage.ReadAsync("counter", grain.Id, CancellationToken.None);
        Assert.Equal(second, stored!.ETag);
    }

    [Fact]
    public async Task Clear_removes_the_record()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<StatefulGrain>("s");
        await grain.CallAsync(static (g, _) => g.Save(7));

        Assert.False(await grain.CallAsync(static (g, _) => g.Clear()));
        Assert.Null(await rt.Storage.ReadAsync("counter", grain.Id, CancellationToken.None));
        Assert.Equal(0, await grain.CallAsync(static (g, _) => g.Get()));
    }

    [Fact]
    public async Task A_stale_etag_throws_inconsistent_state_and_the_next_call_rereads_in_a_new_activation()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<StatefulGrain>("conflict");
        var etag = await grain.CallAsync(static (g, _) => g.Save(1));

        // Someone else (another node, say) writes meanwhile.
        await rt.Storage.WriteAsync("counter", grain.Id, Encoding.UTF8.GetBytes("{\"value\":99}"), etag, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(async () => await grain.CallAsync(static (g, _) => g.Save(2)));
        await Eventually.True(() => rt.Runtime.ActivationCount == 0, "the conflicted activation was deactivated");
        Assert.Equal(99, await grain.CallAsync(static (g, _) => g.Get()));
        Assert.Equal(2, rt.Journal.Activated);
    }

    [Fact]
    public async Task Memory_storage_refuses_a_second_insert_and_a_stale_clear()
    {
        var storage = new MemoryGrainStorage();
        var id = new GrainId("T", "k");
        var etag = await storage.WriteAsync("s", id, new byte[] { 1 }, null, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync("s", id, new byte[] { 2 }, null, CancellationToken.None));
        var newer = await storage.WriteAsync("s", id, new byte[] { 3 }, etag, CancellationToken.None);
        var stale = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync("s", id, etag, CancellationToken.None));
        Assert.Equal(newer, stale.StoredETag);
        await storage.ClearAsync("s", id, newer, CancellationToken.None);
        Assert.Null(await storage.ReadAsync("s", id, CancellationToken.None));
    }
}
