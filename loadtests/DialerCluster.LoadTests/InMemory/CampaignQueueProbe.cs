using System.Diagnostics;
using System.Globalization;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Routing;
using DialerCluster.LoadTests.Dialer;

namespace DialerCluster.LoadTests.InMemory;

/// <summary>What the in-memory part of an assignment costs, measured in this process.</summary>
internal sealed record QueueProbeResult(int Cases, int Agents, long Assignments, TimeSpan Measured, TimeSpan Build, long IndexBytes)
{
    public double PerSecond => Measured > TimeSpan.Zero ? Assignments / Measured.TotalSeconds : 0;

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{PerSecond:N0} assignments/s: CampaignQueue.TryTake + Release (the campaign grain's in-memory work per next-case → complete, no HTTP, no grain call, no storage), one thread, {Cases:N0} cases, {Agents:N0} agents, {Assignments:N0} assignments in {Measured.TotalSeconds:0.##} s; index built in {Build.TotalSeconds:0.##} s, ~{IndexBytes / Math.Max(1, Cases):N0} managed bytes per case");
}

/// <summary>
/// The in-memory figure beside the durable ones (issue 4 point 6): the same campaign queue the campaign grain uses,
/// filled like the storm's campaign, driven as the grain drives it — take the best case for an agent, release it
/// with one attempt more and a retry time (the "no answer" outcome) — on one thread, because a campaign grain runs
/// one turn at a time. It is the ceiling one campaign's queue allows; the HTTP, grain and storage costs of the
/// durable path come on top.
/// </summary>
internal static class CampaignQueueProbe
{
    public static QueueProbeResult Measure(int cases, int agents, TimeSpan during)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cases, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, 1);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var build = Stopwatch.StartNew();
        var queue = new CampaignQueue();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var createdAt = DateTimeOffset.UtcNow.AddDays(-1);
        for (var i = 0; i < cases; i++)
        {
            queue.Add(new CaseCandidate(i + 1, ContactCsv.Phone(50, i), zone, createdAt.AddTicks(i)) { Priority = CasePriority.Normal });
        }

        build.Stop();
        var indexBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        var context = new NextCaseContext(
            new CampaignSettings { Name = "probe", CallingWindow = new CallingWindow(TimeOnly.MinValue, new TimeOnly(23, 59, 59)) },
            new OwnerPresenceTable(),
            new DoNotCallSet());
        var keys = Enumerable.Range(1, agents).Select(a => $"agent/{a}").ToArray();
        var retry = TimeSpan.FromHours(1);

        // Warm-up: JIT and caches, not counted.
        var taken = Run(queue, context, keys, retry, TimeSpan.FromMilliseconds(200), Math.Max(1, cases / 10), out _);
        var measured = Run(queue, context, keys, retry, during, cases - taken, out var elapsed);
        GC.KeepAlive(queue);
        return new QueueProbeResult(cases, agents, measured, elapsed, build.Elapsed, indexBytes);
    }

    private static long Run(CampaignQueue queue, NextCaseContext context, string[] keys, TimeSpan retry, TimeSpan during, long limit, out TimeSpan elapsed)
    {
        var clock = Stopwatch.StartNew();
        long done = 0;
        while (done < limit)
        {
            // The clock is read every 256 assignments: reading it each time would be a share of what is measured.
            if ((done & 255) == 0 && clock.Elapsed >= during)
            {
                break;
            }

            var key = keys[done % keys.Length];
            var now = DateTimeOffset.UtcNow;
            if (!queue.TryTake(key, now, context, out var candidate))
            {
                break;
            }

            queue.Release(key, candidate with { Attempts = candidate.Attempts + 1, NextEligibleAt = now + retry });
            done++;
        }

        elapsed = clock.Elapsed;
        return done;
    }
}
