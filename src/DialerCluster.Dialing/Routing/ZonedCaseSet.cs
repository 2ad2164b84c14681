namespace DialerCluster.Dialing.Routing;

/// <summary>
/// Cases kept in one order, split by contact time zone: a closed zone is skipped as a whole instead of
/// walking past each of its cases. The best open case is the minimum over the open zones' heads.
/// </summary>
/// <remarks>
/// Each zone is a binary heap with lazy deletion: removing a case only lowers the live count, and a stale
/// heap item (its stamp no longer the case's current one) is dropped when it surfaces. Chosen over a
/// SortedSet for a million cases: 16 bytes per item in one array instead of a tree node (about 48 bytes, one
/// allocation) per case, and taking a case touches no tree. Heaps are compacted when stale items dominate.
/// </remarks>
internal sealed class ZonedCaseSet(IComparer<CaseCandidate> order)
{
    // Indexed by ZoneSlot.Index; a zone's heap is created on first use and never removed, so iterating
    // is safe while cases are removed (parked) from inside the loop.
    private readonly List<ZoneHeap?> _byZone = [];

    public int Count { get; private set; }

    public void Add(CaseCandidate candidate, ZoneSlot zone, long stamp, CampaignQueue queue)
    {
        while (_byZone.Count <= zone.Index)
        {
            _byZone.Add(null);
        }

        var heap = _byZone[zone.Index] ??= new ZoneHeap(order);
        if (heap.Items.Count > (2 * heap.Live) + 64)
        {
            heap.Compact(queue);
        }

        heap.Items.Enqueue(stamp, candidate);
        heap.Live++;
        Count++;
    }

    /// <summary>Forgets one live case of the zone; its heap item goes stale because the queue re-stamps the case.</summary>
    public void Remove(ZoneSlot zone)
    {
        var heap = _byZone[zone.Index]!;
        heap.Live--;
        Count--;
    }

    /// <summary>
    /// The first case in order whose zone is open and which <paramref name="queue"/> does not park (do-not-call,
    /// out of attempts). Parked cases leave every index, so each is stepped over once, not on every call.
    /// </summary>
    /// <summary>Whether some case is ready in a zone where the calling window is closed now.</summary>
    public bool AnyInClosedZone(CampaignQueue queue, DateTimeOffset now, NextCaseContext context)
    {
        for (var i = 0; i < _byZone.Count; i++)
        {
            if (_byZone[i] is { Live: > 0 } && !queue.Zone(i).IsOpen(now, context.Settings.CallingWindow))
            {
                return true;
            }
        }

        return false;
    }

    public CaseCandidate? PeekBest(CampaignQueue queue, DateTimeOffset now, NextCaseContext context)
    {
        if (Count == 0)
        {
            return null;
        }

        CaseCandidate? best = null;
        var window = context.Settings.CallingWindow;
        for (var i = 0; i < _byZone.Count; i++)
        {
            var heap = _byZone[i];
            if (heap is null || heap.Live == 0 || !queue.Zone(i).IsOpen(now, window))
            {
                continue;
            }

            while (heap.Items.TryPeek(out var stamp, out var head))
            {
                if (!queue.IsLive(head, stamp))
                {
                    heap.Items.Dequeue();
                    continue;
                }

                if (queue.ParkIfBlocked(head, context))
                {
                    continue;
                }

                if (best is null || order.Compare(head, best) < 0)
                {
                    best = head;
                }

                break;
            }
        }

        return best;
    }

    private sealed class ZoneHeap(IComparer<CaseCandidate> order)
    {
        public PriorityQueue<long, CaseCandidate> Items { get; } = new(order);

        public int Live { get; set; }

        public void Compact(CampaignQueue queue)
        {
            var live = new List<(long, CaseCandidate)>(Live);
            foreach (var (stamp, candidate) in Items.UnorderedItems)
            {
                if (queue.IsLive(candidate, stamp))
                {
                    live.Add((stamp, candidate));
                }
            }

            Items.Clear();
            Items.EnqueueRange(live);
        }
    }
}
