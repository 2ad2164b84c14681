using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Host.Tests.Crash;
using DialerCluster.Telephony.DialLog;
using DialerCluster.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace DialerCluster.Host.Tests.Cluster;

/// <summary>
/// Issue 12, point 6: three nodes on one PostgreSQL, agents working a predictive campaign with their requests spread
/// over the nodes. The node hosting the campaign is killed (SIGKILL); in the second run the campaign's next node is
/// then paused (SIGSTOP) for at least 5 s, until the campaign has moved on, and resumed. What the agents were told and
/// what the carriers dialed (every node's dial log) must stay true: no case lost or held by two agents, no number
/// dialed twice inside the quarantine, no HTTP 500, and the paused node's stale activation places no call it decided
/// after the campaign's new activation claimed its epoch.
/// </summary>
/// <remarks>
/// Deadlines are generous (a shared 2-core machine starves processes for seconds); the times are printed, and the
/// assertions are on invariants. The figures the issue asks for (kill → dead, → campaign elsewhere, → first Next case,
/// the pause's overlap) are the printed ones.
/// </remarks>
[Collection(HostCrashCollection.Name)]
public sealed class FailoverTests(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private const int NodeCount = 3;
    private const int Agents = 9;
    private const int Cases = 2_000;
    private const int CompletesPerPhase = 30;

    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PauseLimit = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan Quarantine = new DialerOptions().OutcomeUnknownQuarantine;

    private readonly string _logs = Directory.CreateTempSubdirectory("dialer-failover-").FullName;
    private readonly List<Node> _nodes = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The wall time at <see cref="_clock"/>'s zero, to place the dial logs' UTC times on the test's timeline.</summary>
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
    private readonly ConcurrentQueue<Answer> _answers = new();

    /// <summary>The connection string of this test's database.</summary>
    private string _database = "";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            Signal(node, "CONT");
            await node.Host.DisposeAsync();
        }

        Directory.Delete(_logs, recursive: true);
    }

    [Fact]
    public Task Killing_the_campaigns_node_loses_no_case_and_dials_no_number_twice() => RunAsync(pause: false);

    /// <remarks>
    /// Found, in about one run in three, a number dialed again seconds after the pause (seen: +49305000046 dialed
    /// 21:09.637, its line's hold released to agent 2 at 21:12.289, marked abandoned by the resumed stale node at
    /// 21:20.653, dialed again by the new activation at 21:21.066): the paused node had stopped between the two writes
    /// that move an answered call from its line to the agent, leaving a free case whose person was on the line. The new
    /// activation now quarantines free cases whose call was never ended. It also found a complete answered 409 "the hold
    /// lapsed" seconds after the case was given, most likely by the stale activation, which does not know the hold: a
    /// complete that releases nothing while the store still shows the agent's hold is now a 503, tried again. Later, a
    /// complete answered 409 "the hold lapsed" although it had been recorded: the desk's first complete reached the
    /// paused node, ran there after the resume, and the desk's second (after a 503) found the case released. A complete
    /// asked again now gets what the first recorded (<see cref="DialerCluster.Dialing.Cases.HoldEnd"/>).
    /// </remarks>
    [Fact]
    public Task Killing_the_campaigns_node_then_pausing_the_next_loses_no_case_and_dials_no_number_twice() => RunAsync(pause: true);

    private async Task RunAsync(bool pause)
    {
        _database = await server.CreateDatabaseAsync("failover");
        for (var i = 0; i < NodeCount; i++)
        {
            // One after the other: the first migrates the schema, the others join its cluster.
            _nodes.Add(await StartNodeAsync(i));
        }

        var (campaign, agents) = await SeedAsync(_nodes[0].Host);
        using var stop = new CancellationTokenSource();
        var loops = agents.Select((agent, i) => WorkAsync(agent, campaign, first: i % _nodes.Count, stop.Token)).ToList();

        // Phase 1: the cluster works until every node has served completes and the campaign has dialed a while.
        await UntilAsync(() => Completes() >= CompletesPerPhase, "completes before the kill");
        var first = CampaignNode(campaign);
        var epochBefore = await EpochAsync(campaign);

        var killedAt = Now();
        await first.Host.KillAsync();
        first.Gone = true;
        output.WriteLine($"{At(killedAt)} killed {first.Name}, which hosted campaign {campaign} (epoch {epochBefore})");
        var (deadAt, movedAt, second) = await AfterKillAsync(first, campaign, epochBefore, killedAt);
        var firstNextAt = await UntilAsync(() => FirstOffer(after: killedAt), "a Next case asked after the kill answered with a case");
        await UntilAsync(() => Completes(after: firstNextAt) >= CompletesPerPhase, "completes after the kill");

        var (pausedAt, resumedAt, exitedAt, epochAfterPause) = pause
            ? await PauseAsync(second, campaign)
            : default((TimeSpan, TimeSpan, TimeSpan?, TimeSpan?));
        await stop.CancelAsync();
        var problems = (await Task.WhenAll(loops)).SelectMany(p => p).ToList();
        var dials = DialsOf(campaign);

        output.WriteLine($"kill → {first.Name} declared dead: {Seconds(deadAt - killedAt)}");
        output.WriteLine($"kill → campaign's new epoch claimed (active on {second.Name}): {Seconds(movedAt - killedAt)}");
        output.WriteLine($"kill → first Next case asked after the kill answered with a case: {Seconds(firstNextAt - killedAt)}");
        if (pause)
        {
            output.WriteLine($"pause → campaign's epoch claimed elsewhere: {Seconds(epochAfterPause - pausedAt)}");
            var overlapFrom = epochAfterPause is { } claimedAt && claimedAt > resumedAt ? claimedAt : resumedAt;
            output.WriteLine($"resume → paused node gone (it learns it was declared dead and stops): {Seconds(exitedAt - resumedAt)}; "
                + $"SIGSTOP overlap (its activation could run beside the new one): {Seconds(exitedAt - overlapFrom)}; "
                + $"its dials after the resume: {dials.Count(d => d.Node == second.Name && d.At > _start + resumedAt)}");
        }

        var unknown = _nodes.Sum(n => Regex.Matches(n.Host.Output, @"(\d+) calls of an earlier activation have an unknown outcome").Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        output.WriteLine($"calls left with an unknown outcome by the replaced activations, their cases quarantined for {Quarantine}: {unknown}");
        output.WriteLine($"agents left on_call with no case by a dead call, who wrapped up from the desk: {_answers.Where(a => a.Kind == Kind.LeftOnCall).Select(a => a.AgentId).Distinct().Count()}");
        output.WriteLine($"cases a desk read from its agent's state after the Next case's answer was lost with the paused node: {_answers.Count(a => a.Recovered)}; "
            + $"409s for grain state written meanwhile by the other activation (asked again): {_answers.Count(a => a.Kind == Kind.Http && a.Status == 409)}");
        output.WriteLine($"HTTP answers: {string.Join(", ", _answers.Where(a => a.Kind == Kind.Http).GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}; "
            + $"{dials.Count} dials by {string.Join(", ", dials.GroupBy(d => d.Node).Select(g => $"{g.Key}×{g.Count()} ({(g.First().At - _start).TotalSeconds:N1}–{(g.Last().At - _start).TotalSeconds:N1} s)"))}");

        await AssertNoNumberDialedTwiceInsideTheQuarantineAsync(dials);
        AssertNoCaseWithTwoAgents();
        await AssertNoCaseLostAsync(campaign);
        Assert.True(problems.Count == 0, "Agents were told something untrue:\n" + string.Join("\n", problems));
        Assert.DoesNotContain(_answers, a => a.Status >= 500 && a.Status != (int)HttpStatusCode.ServiceUnavailable);

        if (pause)
        {
            // The stale activation on the paused node: whatever it dialed once the new epoch was claimed (seen by polling
            // the database, so up to one poll late) had its intent durable before, under the old epoch, so the new
            // activation found it on a line and quarantined it; it took no new decision to dial.
            Assert.NotNull(epochAfterPause);
            await AssertDialedOnlyWhatWasDecidedBeforeAsync(dials.Where(d => d.Node == second.Name && d.At > _start + epochAfterPause.Value), _start + epochAfterPause.Value);
        }

        Assert.True(firstNextAt - killedAt < TimeSpan.FromSeconds(30), $"Next case came back only {Seconds(firstNextAt - killedAt)} after the kill");
    }

    [Fact]
    public async Task A_campaign_whose_node_died_is_activated_on_another_node_with_no_request_arriving()
    {
        _database = await server.CreateDatabaseAsync("wakeup");
        _nodes.Add(await StartNodeAsync(0));
        _nodes.Add(await StartNodeAsync(1));
        var (campaign, agents) = await SeedAsync(_nodes[0].Host);

        // The agents work a while (the dials show which node hosts the campaign), then stop asking.
        using (var stop = new CancellationTokenSource())
        {
            var loops = agents.Select((agent, i) => WorkAsync(agent, campaign, first: i % _nodes.Count, stop.Token)).ToList();
            await UntilAsync(() => Completes() >= CompletesPerPhase, "completes before the agents stop asking");
            await stop.CancelAsync();
            Assert.Empty((await Task.WhenAll(loops)).SelectMany(p => p));
        }

        // Longer than a Next case's long poll (5 s): the requests the agents walked away from are over on the nodes too.
        await Task.Delay(TimeSpan.FromSeconds(8));
        var host = CampaignNode(campaign);
        var epoch = await EpochAsync(campaign);
        var killedAt = Now();
        await host.Host.KillAsync();
        host.Gone = true;

        // From here on nothing calls the cluster: only the survivor's wake-up can activate the campaign (a new epoch).
        var claimedAt = await EpochChangeAsync(campaign, epoch, PhaseLimit);
        output.WriteLine($"kill → the campaign activated on the other node with no request: {Seconds(claimedAt - killedAt)}");
        Assert.True(claimedAt is not null, $"campaign {campaign} was not activated again within {PhaseLimit.TotalSeconds:0} s of its node's death");
    }

    /// <summary>
    /// Pauses the campaign's node, so that its activation is replaced while it still runs, then resumes it: when it was
    /// paused, resumed, went away (it stops once it learns it was declared dead), and when the new epoch was claimed.
    /// </summary>
    private async Task<(TimeSpan Paused, TimeSpan Resumed, TimeSpan? Exited, TimeSpan? Claimed)> PauseAsync(Node second, long campaign)
    {
        var epochBeforePause = await EpochAsync(campaign);
        var pausedAt = Now();
        Signal(second, "STOP");
        second.Gone = true;

        // At least 5 s, and until the cluster has given the campaign to another node: a node paused for a shorter time
        // than failure detection needs (about 5-10 s for a paused node here, against 1-2 s for a killed one, whose
        // connections are refused at once) simply resumes its work, and there is no stale activation to fence.
        var claimedDuringPause = await EpochChangeAsync(campaign, epochBeforePause, PauseLimit);
        if (Now() - pausedAt < Pause)
        {
            await Task.Delay(Pause - (Now() - pausedAt));
        }

        Signal(second, "CONT");
        var resumedAt = Now();
        output.WriteLine($"{At(pausedAt)} paused {second.Name}; {At(resumedAt)} resumed it; the campaign's epoch "
            + (claimedDuringPause is { } claimed ? $"moved on at {At(claimed)}" : "did not move during the pause"));
        var exitedAt = await UntilAsync(() => second.Host.HasExited ? Now() : (TimeSpan?)null, TimeSpan.FromSeconds(60), allowTimeout: true);
        await UntilAsync(() => Completes(after: resumedAt) >= CompletesPerPhase, "completes after the pause");
        return (pausedAt, resumedAt, exitedAt, claimedDuringPause);
    }

    private async Task<Node> StartNodeAsync(int index)
    {
        var silo = LoopbackPorts.Free();
        var environment = new Dictionary<string, string>
        {
            [PostgresServer.ConnectionStringVariable] = _database,
            ["Cluster__SiloPort"] = silo.ToString(CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["Telephony__Simulated__DialLog"] = Path.Combine(_logs, $"node-{index + 1}.log"),
            ["Telephony__Simulated__Seed"] = (index + 1).ToString(CultureInfo.InvariantCulture),
            ["Telephony__Simulated__AnswerRate"] = "1.0",
            ["Telephony__Simulated__MachineRate"] = "0",
            ["Telephony__Simulated__BusyRate"] = "0",
            ["Telephony__Simulated__FailureRate"] = "0",
            ["Telephony__Simulated__RingSeconds"] = "0.5",
            ["Telephony__Simulated__PostDialSeconds"] = "0.1",

            // The agent completes while the person still talks: a talk long enough that the person never hangs up first.
            ["Telephony__Simulated__TalkSeconds"] = "60",
            ["Logging__LogLevel__DialerCluster.Host.Cluster"] = "Information",
        };
        return new Node($"127.0.0.1:{silo}", await CrashHost.StartAsync(environment));
    }

    private static async Task<(long Campaign, long[] Agents)> SeedAsync(CrashHost host)
    {
        var campaign = (await host.PostAsync("api/campaigns", new
        {
            name = "Failover",
            dialMode = "predictive",
            callingWindow = new { start = "00:00", end = "23:59:59" },
            maxAttempts = 3,
        }))["id"]!.GetValue<long>();
        var agents = new long[Agents];
        for (var i = 0; i < Agents; i++)
        {
            agents[i] = (await host.PostAsync("api/agents", new { name = $"Failover agent {i + 1}" }))["id"]!.GetValue<long>();
            await host.PutAsync($"api/campaigns/{campaign}/agents/{agents[i]}", null);
        }

        var csv = "name,phone\n" + string.Join("\n", Enumerable.Range(0, Cases).Select(i => $"Lead {i},+4930{5_000_000 + i}"));
        var group = (await host.ImportAsync("failover leads", csv))["groupId"]!.GetValue<long>();
        await host.PostAsync($"api/campaigns/{campaign}/cases", new { contactGroupId = group });
        return (campaign, agents);
    }

    /// <summary>
    /// One agent's desk: Next case, then complete what it brought, on one node; a node that does not answer (killed,
    /// paused) sends the agent to the next one, as a load balancer would. A 503 is tried again. Returns what the agent
    /// was told that was not true.
    /// </summary>
    private async Task<List<string>> WorkAsync(long agent, long campaign, int first, CancellationToken stop)
    {
        var problems = new List<string>();
        var node = first;
        long? holding = null;
        while (!stop.IsCancellationRequested)
        {
            var host = _nodes[node];
            if (host.Gone)
            {
                node = (node + 1) % _nodes.Count;
                continue;
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(TimeSpan.FromSeconds(20));
                if (holding is { } caseId)
                {
                    using var done = await host.Host.Client.PostAsJsonAsync($"api/agents/{agent}/complete", new { outcome = "no_answer" }, timeout.Token);
                    Record(host, done);
                    var body = await done.Content.ReadAsStringAsync(timeout.Token);
                    if (done.IsSuccessStatusCode)
                    {
                        var completed = JsonNode.Parse(body)!["caseId"]!.GetValue<long>();
                        if (completed != caseId)
                        {
                            problems.Add($"agent {agent} completed case {completed}, not the case {caseId} it was given");
                        }

                        _answers.Enqueue(new Answer(Now(), 0, agent, caseId, Kind.Completed) { Node = host.Name });
                        holding = null;
                    }
                    else if (done.StatusCode == HttpStatusCode.Conflict && body.Contains("holds no case", StringComparison.Ordinal))
                    {
                        // Only after a complete lost to a dying node: it was done before the node died.
                        holding = null;
                    }
                    else if (done.StatusCode != HttpStatusCode.ServiceUnavailable && !IsStaleStateRefusal(done.StatusCode, body))
                    {
                        problems.Add($"agent {agent} completing case {caseId} on {host.Name}: {(int)done.StatusCode} {body}");
                        holding = null;
                    }

                    continue;
                }

                var asked = Now();
                using var next = await host.Host.Client.PostAsync($"api/agents/{agent}/next-case?campaignId={campaign}&waitSeconds=5", null, timeout.Token);
                Record(host, next);
                if (next.StatusCode == HttpStatusCode.OK)
                {
                    var offer = JsonNode.Parse(await next.Content.ReadAsStringAsync(timeout.Token))!;
                    holding = offer["case"]!["id"]!.GetValue<long>();
                    _answers.Enqueue(new Answer(Now(), 0, agent, holding.Value, Kind.Received) { Node = host.Name, Asked = asked });
                }
                else if (next.StatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.ServiceUnavailable))
                {
                    var body = await next.Content.ReadAsStringAsync(timeout.Token);
                    var stuck = next.StatusCode == HttpStatusCode.Conflict && body.Contains("the agent is on_call", StringComparison.Ordinal);
                    if (stuck && await HeldCaseAsync(host, agent, timeout.Token) is { } held)
                    {
                        // The answer of an earlier Next case was lost with its node (paused): the campaign connected a
                        // lead to this agent, who never heard of it. The desk reads the agent's case and takes it.
                        holding = held;
                        _answers.Enqueue(new Answer(Now(), 0, agent, held, Kind.Received) { Node = host.Name, Asked = asked, Recovered = true });
                    }
                    else if (stuck)
                    {
                        // On a call that died with its node, and holding no case: the agent ends the call from the desk.
                        using var wrapUp = await host.Host.Client.PutAsJsonAsync($"api/agents/{agent}/status", new { status = "wrap_up" }, timeout.Token);
                        Record(host, wrapUp);
                        _answers.Enqueue(new Answer(Now(), 0, agent, 0, Kind.LeftOnCall) { Node = host.Name });
                        if (!wrapUp.IsSuccessStatusCode)
                        {
                            problems.Add($"agent {agent} left on a dead call could not wrap up on {host.Name}: {(int)wrapUp.StatusCode} {await wrapUp.Content.ReadAsStringAsync(timeout.Token)}");
                        }
                    }
                    else if (!IsStaleStateRefusal(next.StatusCode, body))
                    {
                        problems.Add($"agent {agent} Next case on {host.Name}: {(int)next.StatusCode} {body}");
                        await Task.Delay(500, stop);
                    }
                }
            }
            catch (Exception failure) when (!stop.IsCancellationRequested && failure is HttpRequestException or OperationCanceledException)
            {
                // The node died or hangs: to the next one.
                node = (node + 1) % _nodes.Count;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }

        return problems;
    }

    /// <summary>
    /// A 409 for grain state written meanwhile by another activation of the same grain (Orleans's ETag check, during
    /// the pause): the stale activation's write refused, and the agent asks again. Counted among the answers.
    /// </summary>
    private static bool IsStaleStateRefusal(HttpStatusCode status, string body) =>
        status == HttpStatusCode.Conflict && body.Contains("\"version\"", StringComparison.Ordinal);

    private static async Task<long?> HeldCaseAsync(Node node, long agent, CancellationToken cancellationToken)
    {
        using var response = await node.Host.Client.GetAsync($"api/agents/{agent}", cancellationToken);
        response.EnsureSuccessStatusCode();
        var caseId = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["caseId"];
        return caseId?.GetValue<long>();
    }

    private void Record(Node node, HttpResponseMessage response) =>
        _answers.Enqueue(new Answer(Now(), (int)response.StatusCode, 0, 0, Kind.Http) { Node = node.Name });

    /// <summary>Waits for the killed node to be declared dead and the campaign's epoch to be claimed again.</summary>
    private async Task<(TimeSpan Dead, TimeSpan Moved, Node Next)> AfterKillAsync(Node killed, long campaign, long epoch, TimeSpan killedAt)
    {
        TimeSpan? dead = null;
        TimeSpan? moved = null;
        var deadline = killedAt + PhaseLimit;
        while ((dead is null || moved is null) && Now() < deadline)
        {
            dead ??= await IsDeclaredDeadAsync(killed) ? Now() : null;
            moved ??= await EpochAsync(campaign) > epoch ? Now() : null;
            await Task.Delay(50);
        }

        Assert.True(dead is not null, $"{killed.Name} was not declared dead within {PhaseLimit}");
        Assert.True(moved is not null, $"campaign {campaign} was not activated elsewhere within {PhaseLimit}");
        await UntilAsync(() => DialsOf(campaign).Any(d => d.Node != killed.Name && d.At > _start + killedAt), "a dial from another node after the kill");
        return (dead.Value, moved.Value, CampaignNode(campaign));
    }

    private async Task<TimeSpan?> EpochChangeAsync(long campaign, long epoch, TimeSpan within)
    {
        var deadline = Now() + within;
        while (Now() < deadline)
        {
            if (await EpochAsync(campaign) > epoch)
            {
                return Now();
            }

            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>No two agents' holds of a case overlap: each runs from the Next case that gave it to the agent's complete of it.</summary>
    private void AssertNoCaseWithTwoAgents()
    {
        var completed = _answers.Where(a => a.Kind == Kind.Completed).ToLookup(a => (a.CaseId, a.AgentId));
        var holds = _answers.Where(a => a.Kind == Kind.Received)
            .Select(r => (r.CaseId, r.AgentId, From: r.At, To: completed[(r.CaseId, r.AgentId)].Where(c => c.At >= r.At).Select(c => c.At).DefaultIfEmpty(TimeSpan.MaxValue).Min()))
            .ToLookup(h => h.CaseId);
        var shared = holds.SelectMany(of => of.SelectMany(h => of.Where(o => o.AgentId != h.AgentId && o.From < h.To && h.From < o.To).Select(o => (h, o))))
            .Select(p => $"case {p.h.CaseId}: agent {p.h.AgentId} {At(p.h.From)}–{At(p.h.To)}, agent {p.o.AgentId} {At(p.o.From)}–{At(p.o.To)}")
            .ToList();
        Assert.True(shared.Count == 0, "Cases held by two agents at once:\n" + string.Join("\n", shared));
    }

    /// <summary>Every case still there, and every case an agent was given is recorded as attempted or still held by that agent.</summary>
    private async Task AssertNoCaseLostAsync(long campaign)
    {
        var stored = new Dictionary<long, (long? Holder, int Attempts)>();
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id, holder_agent_id, attempts FROM cases WHERE campaign_id = @campaign", connection);
            command.Parameters.AddWithValue("campaign", campaign);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored[reader.GetInt64(0)] = (reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt32(2));
            }
        }

        Assert.Equal(Cases, stored.Count);
        var lost = _answers.Where(a => a.Kind == Kind.Received)
            .Where(a => stored[a.CaseId] is var (holder, attempts) && attempts == 0 && holder != a.AgentId)
            .Select(a => $"case {a.CaseId} given to agent {a.AgentId}: now {stored[a.CaseId]}")
            .ToList();
        Assert.True(lost.Count == 0, "Cases given to agents and then lost:\n" + string.Join("\n", lost));
    }

    private async Task AssertNoNumberDialedTwiceInsideTheQuarantineAsync(IReadOnlyList<DialLogEntry> dials)
    {
        var twice = dials.GroupBy(d => d.Number)
            .SelectMany(g => g.OrderBy(d => d.At).Zip(g.OrderBy(d => d.At).Skip(1)))
            .Where(pair => pair.Second.At - pair.First.At < Quarantine)
            .ToList();
        if (twice.Count == 0)
        {
            return;
        }

        // What the database says happened to each such case, for whoever has to find out why.
        var story = new List<string>();
        foreach (var (dialed, again) in twice)
        {
            story.Add($"{dialed.Number}: {dialed.At:HH:mm:ss.fff} on {dialed.Node} ({dialed.CorrelationId}), {again.At:HH:mm:ss.fff} on {again.Node} ({again.CorrelationId})");
            await using var connection = new NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT 'activity ' || a.kind || ' at ' || to_char(a.at, 'HH24:MI:SS.MS') || ' by ' || coalesce(a.actor, 'system') || ' ' || coalesce(a.outcome, '') || ' ' || a.details::text
                FROM case_activities a JOIN cases c ON c.id = a.case_id JOIN contacts t ON t.id = c.contact_id WHERE t.primary_phone = @phone
                UNION ALL
                SELECT 'call ' || l.id || ' started ' || to_char(l.started_at, 'HH24:MI:SS.MS') || ' answered ' || coalesce(to_char(l.answered_at, 'HH24:MI:SS.MS'), '-')
                    || ' ended ' || coalesce(to_char(l.ended_at, 'HH24:MI:SS.MS'), '-') || ' ' || coalesce(l.outcome, '') || ' agent ' || coalesce(l.agent_id::text, '-') || ' abandoned ' || l.abandoned
                FROM calls l WHERE l.phone = @phone
                """,
                connection);
            command.Parameters.AddWithValue("phone", dialed.Number);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                story.Add("    " + reader.GetString(0));
            }
        }

        Assert.Fail("Numbers dialed twice inside the quarantine:\n" + string.Join("\n", story));
    }

    private async Task AssertDialedOnlyWhatWasDecidedBeforeAsync(IEnumerable<DialLogEntry> lateDials, DateTimeOffset claimed)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        foreach (var dial in lateDials)
        {
            await using var command = new NpgsqlCommand("SELECT max(started_at) FROM calls WHERE phone = @phone AND started_at <= @dialed", connection);
            command.Parameters.AddWithValue("phone", dial.Number);
            command.Parameters.AddWithValue("dialed", dial.At);
            var intent = await command.ExecuteScalarAsync() as DateTime?;
            Assert.True(intent is { } at && new DateTimeOffset(at, TimeSpan.Zero) < claimed,
                $"{dial.Node} dialed {dial.Number} at {dial.At:HH:mm:ss.fff}, after the new epoch ({claimed:HH:mm:ss.fff}), with its call recorded at {intent:HH:mm:ss.fff}");
        }
    }

    private async Task<bool> IsDeclaredDeadAsync(Node node)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleans_membership WHERE port = @port AND status = 6", connection);
        command.Parameters.AddWithValue("port", int.Parse(node.Name.Split(':')[1], CultureInfo.InvariantCulture));
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private async Task<long> EpochAsync(long campaign)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT epoch FROM campaigns WHERE id = @campaign", connection);
        command.Parameters.AddWithValue("campaign", campaign);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every node's dials for the campaign, in time order.</summary>
    private List<DialLogEntry> DialsOf(long campaign) =>
        Directory.GetFiles(_logs, "*.log")
            .SelectMany(DialLogEntry.ReadAll)
            .Where(d => d.CorrelationId.StartsWith($"{campaign}/", StringComparison.Ordinal))
            .OrderBy(d => d.At)
            .ToList();

    /// <summary>The node whose carrier placed the campaign's latest dial: the campaign grain dials from where it lives.</summary>
    private Node CampaignNode(long campaign)
    {
        var last = DialsOf(campaign).LastOrDefault() ?? throw new InvalidOperationException($"campaign {campaign} dialed nothing yet");
        return _nodes.Single(n => n.Name == last.Node);
    }

    private int Completes(TimeSpan? after = null) => _answers.Count(a => a.Kind == Kind.Completed && a.At > (after ?? TimeSpan.Zero));

    /// <summary>The first case handed out by a Next case asked after <paramref name="after"/> (not one already on its way).</summary>
    private TimeSpan? FirstOffer(TimeSpan after) =>
        _answers.Where(a => a.Kind == Kind.Received && a.Asked > after).Select(a => (TimeSpan?)a.At).Min();

    private async Task UntilAsync(Func<bool> condition, string what)
    {
        await UntilAsync(() => condition() ? Now() : (TimeSpan?)null, PhaseLimit, allowTimeout: false, what);
    }

    private async Task<TimeSpan> UntilAsync(Func<TimeSpan?> condition, string what) =>
        (await UntilAsync(condition, PhaseLimit, allowTimeout: false, what))!.Value;

    private async Task<TimeSpan?> UntilAsync(Func<TimeSpan?> condition, TimeSpan within, bool allowTimeout, string what = "")
    {
        var deadline = Now() + within;
        while (Now() < deadline)
        {
            if (condition() is { } at)
            {
                return at;
            }

            await Task.Delay(50);
        }

        Assert.True(allowTimeout, $"No {what} within {within.TotalSeconds:0} s. Answers: "
            + string.Join(", ", _answers.Where(a => a.Kind == Kind.Http).GroupBy(a => a.Status).Select(g => $"{g.Key}×{g.Count()}"))
            + "\n" + string.Join("\n", _nodes.Select(n => $"--- {n.Name}\n{n.Host.Output}")));
        return null;
    }

    private static void Signal(Node node, string signal)
    {
        if (!node.Host.HasExited)
        {
            using var kill = Process.Start("kill", [$"-{signal}", node.Host.ProcessId.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    private TimeSpan Now() => _clock.Elapsed;

    private static string At(TimeSpan at) => $"[{at.TotalSeconds,6:N2} s]";

    private static string Seconds(TimeSpan? span) => span is { } s ? $"{s.TotalSeconds:N2} s" : "(not seen)";

    private enum Kind
    {
        Http,
        Received,
        Completed,

        /// <summary>An agent found on_call with no case (the call died with its node), who wrapped up from the desk.</summary>
        LeftOnCall,
    }

    private sealed record Answer(TimeSpan At, int Status, long AgentId, long CaseId, Kind Kind)
    {
        public string Node { get; init; } = "";

        /// <summary>When the Next case that brought this case was sent.</summary>
        public TimeSpan Asked { get; init; }

        /// <summary>Read from the agent's state after the Next case's own answer was lost with a paused node.</summary>
        public bool Recovered { get; init; }
    }

    private sealed class Node(string name, CrashHost host)
    {
        public string Name { get; } = name;

        public CrashHost Host { get; } = host;

        /// <summary>Killed or paused: agents go elsewhere.</summary>
        public bool Gone { get; set; }
    }
}
