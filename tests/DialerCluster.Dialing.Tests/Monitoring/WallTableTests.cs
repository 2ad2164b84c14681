using DialerCluster.Dialing.Monitoring;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Monitoring;

/// <summary>
/// Which row wins on a wall fed by several nodes. The property: every node reports its rows in order, with times
/// that never go back; whatever order the reports of different nodes reach a wall in, it ends with the same rows,
/// the latest report of each thing (ties to the greater node name).
/// </summary>
public sealed class WallTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] Nodes = ["node-a", "node-b", "node-c"];

    /// <summary>A report of thing <see cref="Key"/> at <see cref="At"/> by <see cref="Node"/>, its <see cref="Seq"/>-th report.</summary>
    public sealed record Report(int Key, DateTimeOffset At, string Node, int Seq);

    private static readonly Gen<(int Key, int Seconds)> Steps =
        from key in Gen.Choose(0, 3)
        from seconds in Gen.Choose(0, 2)
        select (key, seconds);

    private static readonly Gen<Report[][]> NodeReports =
        from a in ReportsOf(0)
        from b in ReportsOf(1)
        from c in ReportsOf(2)
        select new[] { a, b, c };

    private static readonly Gen<(Report[][] Reports, int[] Order1, int[] Order2)> Scenarios =
        from reports in NodeReports
        from order1 in Gen.Choose(0, 2).ArrayOf()
        from order2 in Gen.Choose(0, 2).ArrayOf()
        select (reports, order1, order2);

    [Fact]
    public void Walls_that_hear_the_same_reports_in_different_orders_end_with_the_same_rows_the_latest_of_each()
    {
        var property = Prop.ForAll(Arb.From(Scenarios), scenario =>
        {
            var first = Play(Interleave(scenario.Reports, scenario.Order1));
            var second = Play(Interleave(scenario.Reports, scenario.Order2));
            var latest = scenario.Reports.SelectMany(r => r)
                .GroupBy(r => r.Key)
                .ToDictionary(
                    g => g.Key,
                    g => g.OrderBy(r => r.At).ThenBy(r => r.Node, StringComparer.Ordinal).ThenBy(r => r.Seq).Last());
            return Rows(first).SequenceEqual(Rows(second)) && Rows(first).SequenceEqual(latest.OrderBy(l => l.Key).Select(l => (l.Key, l.Value.Seq)));
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    [Fact]
    public void A_node_replaces_its_own_row_even_with_an_earlier_time()
    {
        var table = Table();
        Assert.True(table.Put(new Report(1, T0.AddMinutes(5), "node-a", 1), "node-a"));

        // A hand-moved or corrected clock: the node's own latest report is still its latest.
        Assert.True(table.Put(new Report(1, T0, "node-a", 2), "node-a"));
        Assert.Equal(2, table.Find(1)!.Seq);
    }

    [Fact]
    public void An_earlier_report_from_another_node_loses_and_a_later_one_takes_the_row_over()
    {
        var table = Table();
        table.Put(new Report(1, T0.AddSeconds(10), "node-a", 1), "node-a");

        Assert.False(table.Put(new Report(1, T0.AddSeconds(9), "node-b", 2), "node-b"));
        Assert.Equal("node-a", table.NodeOf(1));
        Assert.True(table.Put(new Report(1, T0.AddSeconds(11), "node-b", 3), "node-b"));
        Assert.Equal("node-b", table.NodeOf(1));
    }

    [Fact]
    public void Removing_a_node_takes_only_its_own_rows_and_spares_those_it_keeps()
    {
        var table = Table();
        table.Put(new Report(1, T0, "node-a", 1), "node-a");
        table.Put(new Report(2, T0, "node-a", 2), "node-a");
        table.Put(new Report(3, T0, "node-a", 3), "node-a");
        table.Put(new Report(4, T0, "node-b", 4), "node-b");

        var removed = table.RemoveNode("node-a", new HashSet<int> { 2 });

        Assert.Equal([1, 3], removed.Order());
        Assert.Equal([2, 4], table.Snapshots.Select(r => r.Key).Order());
        Assert.False(table.Remove(4, "node-a"));
        Assert.True(table.Remove(4, "node-b"));
    }

    /// <summary>A node's reports: small keys so that nodes report the same things, times that never go back (often equal).</summary>
    private static Gen<Report[]> ReportsOf(int node) => Steps.ArrayOf().Select(steps =>
    {
        var at = T0;
        var reports = new Report[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            at = at.AddSeconds(steps[i].Seconds);
            reports[i] = new Report(steps[i].Key, at, Nodes[node], (node * 10_000) + i);
        }

        return reports;
    });

    private static WallTable<int, Report> Table() => new(r => r.Key, r => r.At);

    private static WallTable<int, Report> Play(IEnumerable<Report> reports)
    {
        var table = Table();
        foreach (var report in reports)
        {
            table.Put(report, report.Node);
        }

        return table;
    }

    private static IEnumerable<(int Key, int Seq)> Rows(WallTable<int, Report> table) =>
        table.Snapshots.OrderBy(r => r.Key).Select(r => (r.Key, r.Seq));

    /// <summary>All reports, each node's in its order, nodes interleaved as <paramref name="choices"/> say (then in turn).</summary>
    private static IEnumerable<Report> Interleave(Report[][] reports, int[] choices)
    {
        var next = new int[reports.Length];
        var choice = 0;
        while (true)
        {
            var open = Enumerable.Range(0, reports.Length).Where(n => next[n] < reports[n].Length).ToArray();
            if (open.Length == 0)
            {
                yield break;
            }

            var node = open[(choice < choices.Length ? choices[choice] : choice) % open.Length];
            choice++;
            yield return reports[node][next[node]++];
        }
    }
}
