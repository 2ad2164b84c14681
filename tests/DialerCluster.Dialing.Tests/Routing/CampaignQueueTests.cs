using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Routing;
using static DialerCluster.Dialing.Tests.Routing.RoutingWorld;

namespace DialerCluster.Dialing.Tests.Routing;

public sealed class CampaignQueueTests
{
    private readonly OwnerPresenceTable _owners = new();
    private readonly DoNotCallSet _doNotCall = new();
    private readonly NextCaseContext _context;

    public CampaignQueueTests() => _context = new NextCaseContext(Settings, _owners, _doNotCall);

    [Fact]
    public void An_agent_holds_at_most_one_case_and_asking_again_gives_the_same_one()
    {
        var queue = QueueOf([Case(1, 30), Case(2, 20)]);

        queue.TryTake("ann", T0, _context, out var first);
        queue.TryTake("ann", T0.AddMinutes(1), _context, out var again);

        Assert.Equal(1, first!.CaseId);
        Assert.Same(first, again);
        Assert.Equal(1, queue.Counts.Held);
        Assert.Equal(1, queue.Counts.Ready);
    }

    [Fact]
    public void A_held_case_goes_to_nobody_else_until_released()
    {
        var queue = QueueOf([Case(1)]);
        queue.TryTake("ann", T0, _context, out _);

        Assert.False(queue.TryTake("bob", T0, _context, out _));
        Assert.True(queue.Release("ann", 1));
        Assert.True(queue.TryTake("bob", T0, _context, out var forBob));
        Assert.Equal(1, forBob.CaseId);
    }

    [Fact]
    public void Only_the_holder_can_release()
    {
        var queue = QueueOf([Case(1), Case(2)]);
        queue.TryTake("ann", T0, _context, out _);
        queue.TryTake("bob", T0, _context, out _);

        Assert.False(queue.Release("bob", 1));
        Assert.False(queue.Release("cid", 1));
        Assert.Equal("ann", queue.HolderOf(1));
    }

    [Fact]
    public void A_hold_not_completed_within_the_timeout_goes_back_to_the_queue()
    {
        var queue = QueueOf([Case(1)]);
        queue.TryTake("ann", T0, _context, out _);

        Assert.Empty(queue.ExpireHolds(T0 + Settings.HoldTimeout - TimeSpan.FromSeconds(1)));
        var expired = queue.ExpireHolds(T0 + Settings.HoldTimeout);

        Assert.Equal([new ExpiredHold(1, "ann")], expired);
        Assert.Null(queue.HolderOf(1));
        Assert.False(queue.TryGetHeld("ann", out _));
        Assert.True(queue.TryTake("bob", T0 + Settings.HoldTimeout, _context, out var retaken));
        Assert.Equal(1, retaken.CaseId);
    }

    [Fact]
    public void A_late_release_after_expiry_does_not_free_the_new_holder()
    {
        var queue = QueueOf([Case(1)]);
        queue.TryTake("ann", T0, _context, out _);
        queue.ExpireHolds(T0.AddHours(1));
        queue.TryTake("bob", T0.AddHours(1), _context, out _);

        Assert.False(queue.Release("ann", 1));
        Assert.Equal("bob", queue.HolderOf(1));
    }

    [Fact]
    public void A_renewed_hold_survives_the_original_timeout()
    {
        var queue = QueueOf([Case(1)]);
        queue.TryTake("ann", T0, _context, out _);

        Assert.True(queue.RenewHold("ann", 1, T0.AddMinutes(30)));
        Assert.False(queue.RenewHold("bob", 1, T0.AddMinutes(60)));
        Assert.Empty(queue.ExpireHolds(T0.AddMinutes(20)));
        Assert.Single(queue.ExpireHolds(T0.AddMinutes(30)));
    }

    [Fact]
    public void Releasing_with_a_retry_time_keeps_the_case_away_until_then()
    {
        var queue = QueueOf([Case(1)]);
        queue.TryTake("ann", T0, _context, out var held);

        queue.Release("ann", held! with { Attempts = 1, NextEligibleAt = T0.AddHours(2) });

        Assert.False(queue.TryTake("ann", T0.AddHours(1), _context, out _));
        Assert.Equal(1, queue.Counts.Pending);
        Assert.True(queue.TryTake("ann", T0.AddHours(2), _context, out var again));
        Assert.Equal(1, again.Attempts);
    }

    [Fact]
    public void A_callback_becomes_available_when_it_falls_due()
    {
        var queue = QueueOf([Case(1).Owned("ann").Callback(10), Case(2)]);

        queue.TryTake("ann", T0, _context, out var before);
        queue.Release("ann", before!.CaseId);
        queue.TryTake("ann", T0.AddMinutes(10), _context, out var after);

        Assert.Equal(2, before.CaseId);
        Assert.Equal(1, after!.CaseId);
    }

    [Fact]
    public void A_case_reaching_its_maximum_attempts_is_parked_and_never_offered()
    {
        var queue = QueueOf([Case(1, 90), Case(2, 10)]);
        queue.TryTake("ann", T0, _context, out var held);
        queue.Release("ann", held! with { Attempts = Settings.MaxAttempts });

        queue.TryTake("bob", T0, _context, out var next);

        Assert.Equal(2, next!.CaseId);
        Assert.Equal(1, queue.Counts.Parked);
    }

    [Fact]
    public void A_number_taken_off_the_do_not_call_list_comes_back_after_requeue()
    {
        var queue = QueueOf([Case(1)]);
        _doNotCall.Add(Case(1).Phone);
        Assert.False(queue.TryTake("ann", T0, _context, out _));
        Assert.Equal(1, queue.Counts.Parked);

        _doNotCall.Remove(Case(1).Phone);
        Assert.Equal(1, queue.RequeueParked());

        Assert.True(queue.TryTake("ann", T0, _context, out var back));
        Assert.Equal(1, back.CaseId);
    }

    [Fact]
    public void An_update_moves_a_case_between_indexes()
    {
        var queue = QueueOf([Case(1, 10), Case(2, 90)]);

        queue.Update(Case(1, 10).WithPriority(CasePriority.High));
        queue.TryTake("ann", T0, _context, out var first);
        queue.Update(Case(2, 90).Owned("bob"));
        queue.TryTake("bob", T0, _context, out var second);

        Assert.Equal(1, first!.CaseId);
        Assert.Equal(2, second!.CaseId);
    }

    [Fact]
    public void Updating_a_held_case_keeps_the_hold()
    {
        var queue = QueueOf([Case(1)]);
        queue.TryTake("ann", T0, _context, out _);

        Assert.True(queue.Update(Case(1) with { Status = CaseStatus.Won }));

        Assert.Equal("ann", queue.HolderOf(1));
        Assert.True(queue.Release("ann", 1));
        Assert.Equal(1, queue.Counts.Closed);
        Assert.False(queue.TryTake("ann", T0, _context, out _));
    }

    [Fact]
    public void Removing_a_held_case_frees_its_agent()
    {
        var queue = QueueOf([Case(1), Case(2)]);
        queue.TryTake("ann", T0, _context, out _);

        Assert.True(queue.Remove(1));
        Assert.False(queue.Remove(1));
        Assert.True(queue.TryTake("ann", T0, _context, out var next));
        Assert.Equal(2, next.CaseId);
    }

    [Fact]
    public void Rebuilding_keeps_holds_and_refuses_a_second_hold_for_one_agent()
    {
        var queue = new CampaignQueue();
        queue.Add(Case(1) with { HolderAgentId = "ann", HoldExpiresAt = T0.AddMinutes(3) });

        Assert.Throws<ArgumentException>(() => queue.Add(Case(2) with { HolderAgentId = "ann" }));
        Assert.Throws<ArgumentException>(() => queue.Add(Case(1)));
        Assert.Equal("ann", queue.HolderOf(1));
        Assert.Single(queue.ExpireHolds(T0.AddMinutes(3)));
    }

    [Fact]
    public void Counts_show_cases_per_status_ready_and_held()
    {
        var queue = QueueOf(
        [
            Case(1),
            Case(2),
            Case(3).Callback(60),
            Case(4) with { Status = CaseStatus.Offered },
            Case(5) with { Status = CaseStatus.Won },
            Case(6) with { Status = CaseStatus.Resigned },
        ]);
        queue.TryTake("ann", T0, _context, out _);

        var counts = queue.Counts;

        Assert.Equal(6, counts.Total);
        Assert.Equal(1, counts.Held);
        Assert.Equal(2, counts.Ready);
        Assert.Equal(1, counts.Pending);
        Assert.Equal(2, counts.Closed);
        Assert.Equal(
            [2, 1, 1, 1, 1],
            Enum.GetValues<CaseStatus>().Select(counts.OfStatus));
    }

    [Fact]
    public void Next_case_allocates_nothing_once_warm()
    {
        var queue = new CampaignQueue();
        TimeZoneInfo[] zones = [Berlin, London, NewYork, Tokyo, Kolkata];
        for (var id = 1; id <= 10_000; id++)
        {
            var c = Case(id, ageMinutes: id % 977) with { TimeZone = zones[id % zones.Length], Priority = (CasePriority)(id % 3) };
            queue.Add(id % 10 == 0 ? c.Owned($"agent-{id % 50}") : c);
        }

        var agents = Enumerable.Range(0, 100).Select(i => $"agent-{i}").ToArray();
        for (var round = 0; round < 3; round++)
        {
            foreach (var agent in agents)
            {
                queue.TryTake(agent, T0, _context, out _);
            }

            foreach (var agent in agents)
            {
                queue.TryGetHeld(agent, out var held);
                queue.Release(agent, held!.CaseId);
            }
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var agent in agents)
        {
            queue.TryTake(agent, T0, _context, out _);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(agents.Length, queue.Counts.Held);
    }
}
