using System.Globalization;
using System.Text;
using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Simulation;

internal static class Report
{
    private const int GoalAgents = 50;
    private const double GoalAnswerRate = 0.30;
    private static readonly TimeSpan GoalTalkTime = TimeSpan.FromSeconds(180);
    private const double GoalOccupancy = 0.90;
    private const double GoalAbandonRate = 0.03;
    private const double GoalGainOverProgressive = 1.3;

    public static string Render(IReadOnlyList<DayResult> results, int seed, bool quick)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Simulated 8-hour campaign days, seed {seed}{(quick ? ", quick grid" : string.Empty)}. AHT is the mean talk time; each call adds a 10–15 s wrap-up.");
        text.AppendLine();
        text.AppendLine("| mode | agents | answer rate | AHT | occupancy | talk min/h | mean wait s | abandon | connects/agent-h | dials/agent-h | released/agent-h | connect p50 s | connect p99 s |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var s = r.Scenario;
            text.AppendLine(c, $"| {s.Mode.ToWire()} | {s.Agents} | {s.AnswerRate:P0} | {s.MeanTalkTime.TotalSeconds:0} s | {r.Occupancy:P1} | {r.TalkMinutesPerHour:0.0} | {r.MeanWaitSeconds:0.0} | {r.AbandonRate:P2} | {r.ConnectsPerAgentHour:0.0} | {r.DialsPerAgentHour:0.0} | {r.ReleasedPerAgentHour:0.0} | {r.ConnectP50Seconds:0.00} | {r.ConnectP99Seconds:0.00} |");
        }

        long redials = results.Sum(r => r.AbandonedRedialedWithin72Hours);
        text.AppendLine();
        text.AppendLine(c, $"Abandoned numbers redialed within 72 h: {redials}.");
        text.AppendLine();
        text.AppendLine(Goal(results));
        return text.ToString();
    }

    public static bool GoalMet(IReadOnlyList<DayResult> results) => Evaluate(results).Met;

    private static string Goal(IReadOnlyList<DayResult> results)
    {
        var (met, line) = Evaluate(results);
        return (met ? "PASS" : "FAIL") + ": " + line;
    }

    private static (bool Met, string Line) Evaluate(IReadOnlyList<DayResult> results)
    {
        var predictive = Find(results, DialMode.Predictive);
        var progressive = Find(results, DialMode.Progressive);
        if (predictive is null || progressive is null)
        {
            return (false, "goal cell (50 agents, 30% answer, 180 s AHT) not in this grid.");
        }

        double gain = progressive.Occupancy > 0 ? predictive.Occupancy / progressive.Occupancy : double.PositiveInfinity;
        bool met = predictive.Occupancy >= GoalOccupancy && predictive.AbandonRate <= GoalAbandonRate && gain >= GoalGainOverProgressive;
        var c = CultureInfo.InvariantCulture;
        return (met, string.Create(c,
            $"at 50 agents, 30% answer, 180 s AHT predictive occupancy {predictive.Occupancy:P1} (goal ≥ {GoalOccupancy:P0}), abandon {predictive.AbandonRate:P2} (goal ≤ {GoalAbandonRate:P0}), {gain:0.00}x progressive's {progressive.Occupancy:P1} (goal ≥ {GoalGainOverProgressive}x)."));
    }

    private static DayResult? Find(IReadOnlyList<DayResult> results, DialMode mode) =>
        results.FirstOrDefault(r => r.Scenario.Mode == mode && r.Scenario.Agents == GoalAgents
            && Math.Abs(r.Scenario.AnswerRate - GoalAnswerRate) < 1e-9 && r.Scenario.MeanTalkTime == GoalTalkTime);
}
