using System.Collections.Concurrent;

namespace DialerCluster.Host.Tests.Crash;

/// <summary>What the clients were told, in order: the only truth a crash test may hold the server to.</summary>
internal sealed class CrashLedger
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public enum Kind
    {
        /// <summary>next-case answered 200 with this case.</summary>
        Received,

        /// <summary>complete answered 200 for this case.</summary>
        Completed,
    }

    public IReadOnlyList<Entry> Entries => _entries.ToArray();

    public void Add(int phase, Kind kind, long agentId, long caseId, bool repeated = false) =>
        _entries.Enqueue(new Entry(phase, kind, agentId, caseId, repeated));

    public IEnumerable<Entry> Of(Kind kind, int? phase = null) =>
        _entries.Where(e => e.What == kind && (phase is null || e.Phase == phase));

    public sealed record Entry(int Phase, Kind What, long AgentId, long CaseId, bool Repeated);
}
