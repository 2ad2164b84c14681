using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Simulation;

internal static class Grid
{
    private static readonly DialMode[] Modes = [DialMode.Preview, DialMode.Progressive, DialMode.Power, DialMode.Predictive];

    public static IReadOnlyList<Scenario> Build(bool quick)
    {
        int[] teams = quick ? [10, 50] : [10, 50, 200];
        double[] answerRates = quick ? [0.3] : [0.15, 0.30, 0.60];
        TimeSpan[] talkTimes = quick ? [TimeSpan.FromSeconds(180)] : [TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(180)];

        var grid = new List<Scenario>();
        foreach (int agents in teams)
        {
            foreach (double answerRate in answerRates)
            {
                foreach (var talk in talkTimes)
                {
                    foreach (var mode in Modes)
                    {
                        grid.Add(new Scenario(mode, agents, answerRate, talk));
                    }
                }
            }
        }

        return grid;
    }

    /// <summary>Every mode of a cell gets the same seed (common random numbers): the comparison is between modes, not luck.</summary>
    public static int SeedFor(int seed, Scenario scenario)
    {
        var (agents, answerRate, talk) = scenario.Cell;
        unchecked
        {
            int hash = seed;
            hash = (hash * 31) + agents;
            hash = (hash * 31) + (int)Math.Round(answerRate * 1000);
            hash = (hash * 31) + (int)talk.TotalSeconds;
            return hash;
        }
    }
}
