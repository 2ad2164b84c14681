using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Stores;
using DialerCluster.Storage;
using DialerCluster.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DialerCluster.Host.Tests.Crash;

/// <summary>
/// Issue 4, point 4: 50 agents loop Next case / Complete over HTTP against the real host in its own process;
/// the process is SIGKILLed mid-run and started again on the same database. Whatever a client was told must
/// be true in the database: a case it received is held by that agent or carries that agent's call attempt;
/// no case went to two agents; no case, callback or activity is gone; and the queue serves again.
/// </summary>
public abstract class HostCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Agents = 50;
    private const int Cases = 3_000;
    private const int Callbacks = 20;
    private const int CompletesBeforeKill = 300;

    private static readonly TimeSpan LoopLimit = TimeSpan.FromSeconds(60);

    private ServiceProvider? _stores;

    /// <summary>Environment variables that point the host at this test's fresh database.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string>> PrepareDatabaseAsync();

    /// <summary>The same database for the test's own reads, through the real stores.</summary>
    protected abstract StorageOptions StorageOptions { get; }

    protected abstract string Engine { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_host_killed_while_fifty_agents_work_loses_no_case_hold_callback_or_activity()
    {
        // The node restarted after the kill keeps its silo ports, as a restarted node keeps its configuration: Orleans
        // then knows the new silo replaces the killed one instead of waiting to hear from it.
        var environment = new Dictionary<string, string>(await PrepareDatabaseAsync());
        foreach (var (key, value) in LoopbackPorts.SiloEnvironment())
        {
            environment[key] = value;
        }

        var ledger = new CrashLedger();
        long campaign;
        long[] agents;
        long[] caseIds;
        var callbacks = new Dictionary<long, (long Owner, DateTimeOffset At)>();

        await using (var host = await CrashHost.StartAsync(environment))
        {
            (campaign, agents, caseIds) = await SeedAsync(host);
            var due = DateTimeOffset.UtcNow.AddDays(2);
            for (var i = 0; i < Callbacks; i++)
            {
                var (caseId, owner, at) = (caseIds[^(i + 1)], agents[i % Agents], due.AddMinutes(i));
                await host.PatchAsync($"api/cases/{caseId}", new
                {
                    status = "in_acquisition",
                    nextContactAt = at,
                    acquisitionStage = "qualified",
                    leadSource = "web",
                    expectedCloseDate = "2031-01-31",
                    ownerAgentId = owner,
                });
                callbacks[caseId] = (owner, at);
            }

            // Phase 1: work until enough completes are in, then kill the process under the clients' feet.
            using var stop = new CancellationTokenSource();
            var loops = agents.Select(agent => LoopAsync(host, ledger, phase: 1, campaign, agent, stop.Token)).ToList();
            var clock = Stopwatch.StartNew();
            while (ledger.Of(CrashLedger.Kind.Completed, 1).Count() < CompletesBeforeKill && clock.Elapsed < LoopLimit && loops.Any(l => !l.IsCompleted))
            {
                await Task.Delay(50);
            }

            await host.KillAsync();
            var killedAfter = clock.Elapsed;
            var problems = (await Task.WhenAll(loops)).Where(p => p is not null).ToList();
            output.WriteLine(
                $"{Engine}: killed after {killedAfter.TotalSeconds:N1} s with {ledger.Of(CrashLedger.Kind.Received, 1).Count()} cases received and "
                + $"{ledger.Of(CrashLedger.Kind.Completed, 1).Count()} completed ({ledger.Of(CrashLedger.Kind.Completed, 1).Count() / killedAfter.TotalSeconds:N0} completes/s)");
            Assert.True(problems.Count == 0, "Before the kill a client got an answer it should not have:\n" + string.Join("\n", problems) + "\n" + host.Output);
        }

        // While the host is dead: every case a client received is recorded against that agent or completed by it.
        var received = ledger.Of(CrashLedger.Kind.Received, 1).ToList();
        Assert.True(received.Count >= Agents, $"Only {received.Count} cases were handed out before the kill.");
        await AssertReceivedCasesAreRecordedAsync(received);

        // Phase 2: the same database, a new process; every agent works again.
        await using (var host = await CrashHost.StartAsync(environment))
        {
            using var stop = new CancellationTokenSource();
            var loops = agents.Select(agent => LoopAsync(host, ledger, phase: 2, campaign, agent, stop.Token, maxCompletes: 3)).ToList();
            var problems = (await Task.WhenAll(loops).WaitAsync(LoopLimit)).Where(p => p is not null).ToList();
            Assert.True(problems.Count == 0, "After the restart a client got an answer it should not have:\n" + string.Join("\n", problems) + "\n" + host.Output);

            var reminders = await host.GetAsync($"api/agents/{agents[0]}/reminders?campaignId={campaign}");
            Assert.Equal(
                callbacks.Where(c => c.Value.Owner == agents[0]).OrderBy(c => c.Value.At).Select(c => c.Key),
                reminders.AsArray().Select(r => r!["id"]!.GetValue<long>()));
        }

        var afterRestart = ledger.Of(CrashLedger.Kind.Completed, 2).ToList();
        output.WriteLine($"{Engine}: after the restart {ledger.Of(CrashLedger.Kind.Received, 2).Count()} cases received "
            + $"({ledger.Of(CrashLedger.Kind.Received, 2).Count(e => e.Repeated)} of them held since before the kill), {afterRestart.Count} completed");
        Assert.Equal(Agents, afterRestart.Select(e => e.AgentId).Distinct().Count());

        await AssertNothingLostAsync(ledger, campaign, agents, caseIds, callbacks);
    }

    private async Task<(long Campaign, long[] Agents, long[] CaseIds)> SeedAsync(CrashHost host)
    {
        var campaign = (await host.PostAsync("api/campaigns", new
        {
            name = "Crash test",
            dialMode = "preview",
            callingWindow = new { start = "00:00", end = "23:59:59" },
            maxAttempts = 10,
        }))["id"]!.GetValue<long>();

        var csv = new StringBuilder("name,phone,timezone\n");
        for (var i = 0; i < Cases; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Lead {i},+44207{1_000_000 + i},Europe/London\n");
        }

        var import = await host.ImportAsync("Crash leads", csv.ToString());
        Assert.Equal(Cases, import["imported"]!.GetValue<int>());
        var created = await host.PostAsync($"api/campaigns/{campaign}/cases", new { contactGroupId = import["groupId"]!.GetValue<long>(), priority = "normal" });
        var caseIds = created["caseIds"]!.AsArray().Select(id => id!.GetValue<long>()).Order().ToArray();
        Assert.Equal(Cases, caseIds.Length);

        var agents = new long[Agents];
        for (var i = 0; i < Agents; i++)
        {
            agents[i] = (await host.PostAsync("api/agents", new { name = $"Agent {i:D2}" }))["id"]!.GetValue<long>();
            await host.PutAsync($"api/campaigns/{campaign}/agents/{agents[i]}", null);
            await host.PutAsync($"api/agents/{agents[i]}/status", new { status = "ready" });
        }

        return (campaign, agents, caseIds);
    }

    /// <returns>Null, or what went wrong: an HTTP answer other than the ones a working queue gives.</returns>
    private static async Task<string?> LoopAsync(
        CrashHost host, CrashLedger ledger, int phase, long campaign, long agent, CancellationToken stop, int maxCompletes = int.MaxValue)
    {
        var completes = 0;
        try
        {
            while (!stop.IsCancellationRequested && completes < maxCompletes)
            {
                long caseId;
                using (var next = await host.Client.PostAsync($"api/agents/{agent}/next-case?campaignId={campaign}", null, stop))
                {
                    if (next.StatusCode == HttpStatusCode.NoContent)
                    {
                        return phase == 2 && completes == 0 ? $"agent {agent}: no case after the restart (204)" : null;
                    }

                    var offer = await CrashHost.ReadAsync(next);
                    caseId = offer["case"]!["id"]!.GetValue<long>();
                    ledger.Add(phase, CrashLedger.Kind.Received, agent, caseId, offer["repeated"]?.GetValue<bool>() ?? false);
                }

                using var complete = await host.Client.PostAsJsonAsync($"api/agents/{agent}/complete", new { outcome = "no_answer" }, stop);
                var done = await CrashHost.ReadAsync(complete);
                var completed = done["caseId"]!.GetValue<long>();
                if (completed != caseId)
                {
                    return $"agent {agent}: received case {caseId} but completed {completed}";
                }

                ledger.Add(phase, CrashLedger.Kind.Completed, agent, caseId);
                completes++;
            }

            return null;
        }
        catch (HttpRequestException) when (phase == 1)
        {
            // The kill: the connection died with the process. What the client did not hear, it does not hold us to.
            return null;
        }
        catch (TaskCanceledException) when (phase == 1)
        {
            return null;
        }
        catch (Exception ex)
        {
            return $"agent {agent}: {ex.GetType().Name}: {ex.Message}";
        }
    }

    private async Task AssertReceivedCasesAreRecordedAsync(IReadOnlyList<CrashLedger.Entry> received)
    {
        var cases = Stores.GetRequiredService<ICaseStore>();
        var failures = new List<string>();
        foreach (var entry in received.DistinctBy(e => (e.AgentId, e.CaseId)))
        {
            var record = await cases.GetAsync(entry.CaseId, CancellationToken.None);
            if (record is null)
            {
                failures.Add($"case {entry.CaseId} (received by agent {entry.AgentId}) is gone");
                continue;
            }

            if (record.HolderAgentId == entry.AgentId)
            {
                continue;
            }

            var activities = await cases.ActivitiesAsync(entry.CaseId, CancellationToken.None);
            if (!activities.Any(a => a.Activity.Kind == CaseActivityKind.CallAttempt && a.Activity.By == Key(entry.AgentId)))
            {
                failures.Add($"case {entry.CaseId} was handed to agent {entry.AgentId} but is held by {record.HolderAgentId?.ToString(CultureInfo.InvariantCulture) ?? "nobody"} with no attempt by that agent");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task AssertNothingLostAsync(
        CrashLedger ledger, long campaign, long[] agents, long[] caseIds, Dictionary<long, (long Owner, DateTimeOffset At)> callbacks)
    {
        var cases = Stores.GetRequiredService<ICaseStore>();

        // No case went to two agents: a no_answer complete parks a case for hours, so within this test each
        // case may be handed out once (and again to the same agent after the restart, as "repeated").
        var sharedCases = ledger.Of(CrashLedger.Kind.Received)
            .GroupBy(e => e.CaseId)
            .Where(g => g.Select(e => e.AgentId).Distinct().Count() > 1)
            .Select(g => $"case {g.Key} went to agents {string.Join(", ", g.Select(e => e.AgentId).Distinct())}")
            .ToList();
        Assert.True(sharedCases.Count == 0, string.Join("\n", sharedCases));

        // No case lost, each agent holds at most one, and attempts and their activities agree.
        var all = new List<CaseSummary>();
        for (var page = 1; ; page++)
        {
            var chunk = await cases.ListAsync(new CaseQuery(campaign, Page: page, PageSize: 1000), CancellationToken.None);
            all.AddRange(chunk.Items);
            if (chunk.Items.Count < 1000)
            {
                break;
            }
        }

        Assert.Equal(caseIds, all.Select(c => c.CaseId).Order());
        Assert.All(all.Where(c => c.HolderAgentId is not null).GroupBy(c => c.HolderAgentId), g => Assert.Single(g));
        Assert.All(all.Where(c => c.HolderAgentId is not null), c => Assert.Contains(c.HolderAgentId!.Value, agents));

        // Every complete the client heard of has its call attempt by that agent; no attempt lacks its activity.
        var completed = ledger.Of(CrashLedger.Kind.Completed).GroupBy(e => e.CaseId).ToDictionary(g => g.Key, g => g.ToList());
        var touched = ledger.Of(CrashLedger.Kind.Received).Select(e => e.CaseId).Distinct().ToList();
        foreach (var caseId in touched)
        {
            var summary = all.Single(c => c.CaseId == caseId);
            var attempts = (await cases.ActivitiesAsync(caseId, CancellationToken.None))
                .Where(a => a.Activity.Kind == CaseActivityKind.CallAttempt)
                .ToList();
            Assert.Equal(summary.Attempts, attempts.Count);
            foreach (var done in completed.GetValueOrDefault(caseId) ?? [])
            {
                Assert.Contains(attempts, a => a.Activity.By == Key(done.AgentId) && a.Activity.Outcome == Dialing.Campaigns.CallOutcome.NoAnswer);
            }
        }

        Assert.Equal(
            ledger.Of(CrashLedger.Kind.Completed).Count(),
            all.Sum(c => c.Attempts) - await InFlightCompletesAsync(ledger, all));

        // Callbacks untouched: status, owner and time survive the crash.
        foreach (var (caseId, (owner, at)) in callbacks)
        {
            var record = await cases.GetAsync(caseId, CancellationToken.None);
            Assert.Equal((CaseStatus.InAcquisition, (long?)owner), (record!.Status, record.OwnerAgentId));
            Assert.Equal(at.ToUnixTimeMilliseconds(), record.Form.NextContactAt!.Value.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>
    /// Attempts recorded for completes whose answer the client never heard (sent just before the kill):
    /// durable but unconfirmed, at most one per agent that had a case when the process died.
    /// </summary>
    private static Task<int> InFlightCompletesAsync(CrashLedger ledger, List<CaseSummary> all)
    {
        var heard = ledger.Of(CrashLedger.Kind.Completed).GroupBy(e => e.CaseId).ToDictionary(g => g.Key, g => g.Count());
        var unheard = all.Sum(c => Math.Max(0, c.Attempts - heard.GetValueOrDefault(c.CaseId)));
        var openAtKill = ledger.Of(CrashLedger.Kind.Received, 1).Count() - ledger.Of(CrashLedger.Kind.Completed, 1).Count();
        Assert.InRange(unheard, 0, Math.Max(0, openAtKill));
        return Task.FromResult(unheard);
    }

    private ServiceProvider Stores => _stores ??= new ServiceCollection().AddDialerStorage(StorageOptions).BuildServiceProvider();

    private static string Key(long agentId) => agentId.ToString(CultureInfo.InvariantCulture);
}
