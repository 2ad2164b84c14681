using DialerCluster.LoadTests.Dialer;
using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Scenarios;

/// <summary>
/// Every agent loops next-case → complete on one campaign. Closed model: one copy per agent, no think time, so the
/// host runs at its maximum (the throughput figure). Open model: arrivals at a fixed rate, each taking a free agent
/// from a pool, so latency is measured at a load the host can carry (the p99 figure).
/// A 204 (nothing eligible) fails the step: it means the campaign ran out of cases and the figure would be wrong.
/// </summary>
internal static class NextCaseStorm
{
    public const string NextCaseStep = "next-case";
    public const string CompleteStep = "complete";
    private const string SeatKey = "seat";

    public static Scenario Closed(string name, CallCenter callCenter, string outcome, TimeSpan during, TimeSpan warmUp, TimeSpan stepTimeout)
    {
        var seats = callCenter.Agents;
        var complete = AgentRequests.Outcome(outcome);
        return new Scenario(name, [
            new ScenarioStep(NextCaseStep, c => NextCaseAsync(c, seats[(int)(c.CopyId % seats.Count)])),
            new ScenarioStep(CompleteStep, c => CompleteAsync(c, seats[(int)(c.CopyId % seats.Count)], complete)),
        ])
        {
            Load = [LoadSimulation.KeepConstant(seats.Count, warmUp + during)],
            WarmUp = warmUp,
            StepTimeout = stepTimeout,
        };
    }

    public static Scenario Open(string name, CallCenter callCenter, string outcome, double perSecond, TimeSpan during, TimeSpan warmUp, TimeSpan stepTimeout)
    {
        var pool = new AgentPool(callCenter.Agents);
        var complete = AgentRequests.Outcome(outcome);
        return new Scenario(name, [
            new ScenarioStep(NextCaseStep, async c =>
            {
                // Waiting for a free agent is part of this arrival's latency (measured from its due time).
                var seat = await pool.TakeAsync(c.CancellationToken);
                var result = StepResult.Fail("not sent");
                try
                {
                    result = await NextCaseAsync(c, seat);
                    c.Data[SeatKey] = seat;
                    return result;
                }
                finally
                {
                    if (!result.IsOk)
                    {
                        pool.Return(seat);
                    }
                }
            }),
            new ScenarioStep(CompleteStep, async c =>
            {
                var seat = (AgentSeat)c.Data[SeatKey]!;
                try
                {
                    return await CompleteAsync(c, seat, complete);
                }
                finally
                {
                    pool.Return(seat);
                }
            }),
        ])
        {
            Load = [LoadSimulation.Inject(perSecond, TimeSpan.FromSeconds(1), warmUp + during)],
            WarmUp = warmUp,
            StepTimeout = stepTimeout,
        };
    }

    private static async Task<StepResult> NextCaseAsync(StepContext context, AgentSeat seat)
    {
        using var request = AgentRequests.Post(seat.NextCase, seat.Token);
        using var response = await context.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NoContent)
        {
            return StepResult.Fail("HTTP 204: the campaign ran dry (nothing eligible): size it with more cases (--cases)", 204);
        }

        return await AgentResponses.ResultOfAsync(response, context.CancellationToken);
    }

    private static async Task<StepResult> CompleteAsync(StepContext context, AgentSeat seat, byte[] outcome)
    {
        using var request = AgentRequests.Post(seat.Complete, seat.Token, outcome);
        using var response = await context.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
        return await AgentResponses.ResultOfAsync(response, context.CancellationToken);
    }
}
