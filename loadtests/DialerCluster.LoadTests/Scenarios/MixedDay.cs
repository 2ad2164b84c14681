using System.Globalization;
using System.Net;
using System.Text.Json;
using DialerCluster.LoadTests.Dialer;
using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Scenarios;

/// <summary>
/// A working day compressed: every agent loops through a case with the desk's real requests, and a supervisor
/// glances at the wall now and then. Per 100 cases an agent takes (drawn per iteration, deterministic per agent):
/// <list type="bullet">
/// <item>100 next-case and 100 complete; outcomes of a fresh lead: 25 talked (saved as a callback), 50 no answer, 10 busy, 15 voicemail;</item>
/// <item>25 case saves: PATCH to in_acquisition with every field the funnel requires and a callback 10–60 s ahead owned by
/// the agent (so callbacks come due during the run and are routed back to their owner); a callback that comes back is
/// saved again, half as won, half as a new callback;</item>
/// <item>10 breaks and 10 returns to ready (20 status changes);</item>
/// <item>5 reads of GET /api/monitor with a supervisor's token.</item>
/// </list>
/// Skipped actions are not recorded, so each row counts real requests only.
/// </summary>
internal static class MixedDay
{
    public const string BreakStep = "break";
    public const string ReadyStep = "ready";
    public const string NextCaseStep = "next-case";
    public const string SaveStep = "save-case";
    public const string CompleteStep = "complete";
    public const string MonitorStep = "monitor";

    private const string CaseKey = "case";
    private static readonly byte[] BreakBody = AgentRequests.Json("""{"status":"break","reason":"coffee"}""");
    private static readonly byte[] ReadyBody = AgentRequests.Json("""{"status":"ready"}""");
    private static readonly byte[] Talked = AgentRequests.Outcome("talked");
    private static readonly byte[] NoAnswer = AgentRequests.Outcome("no_answer");
    private static readonly byte[] Busy = AgentRequests.Outcome("busy");
    private static readonly byte[] Voicemail = AgentRequests.Outcome("voicemail");

    public static Scenario Create(string name, CallCenter callCenter, TimeSpan during, TimeSpan warmUp, TimeSpan stepTimeout)
    {
        var seats = callCenter.Agents;
        AgentSeat SeatOf(StepContext c) => seats[(int)(c.CopyId % seats.Count)];
        return new Scenario(name, [
            new ScenarioStep(BreakStep, c => TakesBreak(c) ? SendAsync(c, AgentRequests.Put(SeatOf(c).Status, SeatOf(c).Token, BreakBody)) : Skipped),
            new ScenarioStep(ReadyStep, c => TakesBreak(c) ? SendAsync(c, AgentRequests.Put(SeatOf(c).Status, SeatOf(c).Token, ReadyBody)) : Skipped),
            new ScenarioStep(NextCaseStep, c => NextCaseAsync(c, SeatOf(c))),
            new ScenarioStep(SaveStep, c => SaveAsync(c, SeatOf(c), callCenter)),
            new ScenarioStep(CompleteStep, c => c.Data[CaseKey] is OfferedCase offered
                ? SendAsync(c, AgentRequests.Post(SeatOf(c).Complete, SeatOf(c).Token, OutcomeOf(c, offered)))
                : Skipped),
            new ScenarioStep(MonitorStep, c => Roll(c, salt: 7) < 5 ? SendAsync(c, AgentRequests.Get(callCenter.Monitor, callCenter.SupervisorToken)) : Skipped),
        ])
        {
            Load = [LoadSimulation.KeepConstant(seats.Count, warmUp + during)],
            WarmUp = warmUp,
            StepTimeout = stepTimeout,
        };
    }

    private static Task<StepResult> Skipped => Task.FromResult(StepResult.Skip());

    /// <summary>One iteration in ten, staggered by agent so breaks do not all start at once.</summary>
    private static bool TakesBreak(StepContext c) => (c.Iteration + c.CopyId) % 10 == 9;

    /// <summary>0–99, fixed for an agent's n-th iteration (reproducible runs), independent per <paramref name="salt"/>.</summary>
    internal static int Roll(StepContext c, int salt) => Roll(c.CopyId, c.Iteration, salt);

    internal static int Roll(long copy, long iteration, int salt)
    {
        var x = unchecked((ulong)copy * 0x9E3779B97F4A7C15UL ^ (ulong)iteration * 0xBF58476D1CE4E5B9UL ^ (ulong)salt * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        x *= 0xD6E9F8CC1D8D4A3BUL;
        x ^= x >> 29;
        return (int)(x % 100);
    }

    private static async Task<StepResult> SendAsync(StepContext context, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await context.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
            return await AgentResponses.ResultOfAsync(response, context.CancellationToken);
        }
    }

    private static async Task<StepResult> NextCaseAsync(StepContext context, AgentSeat seat)
    {
        context.Data[CaseKey] = null;
        using var request = AgentRequests.Post(seat.NextCase, seat.Token);
        using var response = await context.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            // Nothing eligible right now is a normal answer in a real day; the save and complete steps then skip.
            return StepResult.Ok(204);
        }

        if (!response.IsSuccessStatusCode)
        {
            return await AgentResponses.FailureAsync(response, context.CancellationToken);
        }

        var body = await response.Content.ReadAsByteArrayAsync(context.CancellationToken);
        using var json = JsonDocument.Parse(body);
        var offered = json.RootElement.GetProperty("case");
        context.Data[CaseKey] = new OfferedCase(offered.GetProperty("id").GetInt64(), offered.GetProperty("status").GetString() ?? "new", offered.GetProperty("version").GetInt64());
        return StepResult.Ok(200, body.Length);
    }

    private static Task<StepResult> SaveAsync(StepContext c, AgentSeat seat, CallCenter callCenter)
    {
        if (c.Data[CaseKey] is not OfferedCase offered)
        {
            return Skipped;
        }

        string? body = null;
        if (offered.Status == "new" && Roll(c, salt: 1) < 25)
        {
            body = Callback(seat, c);
        }
        else if (offered.Status == "in_acquisition")
        {
            body = Roll(c, salt: 2) < 50
                ? string.Create(CultureInfo.InvariantCulture, $$"""{"status":"won","note":"Signed on the callback.","agentId":{{seat.AgentId}}}""")
                : Callback(seat, c);
        }

        if (body is null)
        {
            return Skipped;
        }

        c.Data[CaseKey] = offered with { Saved = true };
        return SendAsync(c, AgentRequests.Patch(callCenter.Case(offered.Id), seat.Token, AgentRequests.Json(body), offered.Version));
    }

    private static string Callback(AgentSeat seat, StepContext c)
    {
        var now = DateTimeOffset.UtcNow;
        var due = now.AddSeconds(10 + Roll(c, salt: 3) / 2);
        var close = DateOnly.FromDateTime(now.UtcDateTime.AddDays(30));
        return string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"status":"in_acquisition","nextContactAt":"{{due.UtcDateTime:O}}","acquisitionStage":"needs analysis","leadSource":"outbound list","expectedCloseDate":"{{close:yyyy-MM-dd}}","note":"Asked for a quote; call back.","ownerAgentId":{{seat.AgentId}},"agentId":{{seat.AgentId}}}""");
    }

    private static byte[] OutcomeOf(StepContext c, OfferedCase offered)
    {
        if (offered.Saved || offered.Status != "new")
        {
            return Talked;
        }

        return Roll(c, salt: 1) switch
        {
            < 75 => NoAnswer,
            < 85 => Busy,
            _ => Voicemail,
        };
    }

    private sealed record OfferedCase(long Id, string Status, long Version, bool Saved = false);
}
