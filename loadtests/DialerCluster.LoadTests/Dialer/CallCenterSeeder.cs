using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DialerCluster.LoadTests.Hosting;

namespace DialerCluster.LoadTests.Dialer;

/// <summary>What to set up: agents on one campaign and cases imported in chunks (one named contact group per chunk).</summary>
internal sealed record CallCenterPlan(int Agents, int Cases, int ChunkRows, SignInMode SignIn)
{
    public const int DefaultChunkRows = 100_000;

    /// <summary>Set-up calls in flight at once (agents, users, statuses): enough to keep the host busy, few enough not to time out.</summary>
    public int Parallelism { get; init; } = 16;
}

/// <summary>
/// Builds a call center through the public API only, as an administrator would: a preview campaign open all day,
/// contacts imported as CSV in chunks (each a named group) with cases created from each group, then agents created,
/// assigned, signed in (their own users, or a supervisor acting for them) and set ready.
/// </summary>
internal static class CallCenterSeeder
{
    public static async Task<CallCenter> SeedAsync(HttpClient http, HostUnderTest host, CallCenterPlan plan, TextWriter? log, CancellationToken cancellationToken)
    {
        var api = new DialerApiClient(http, host.BaseUrl);
        var run = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var timings = new List<SetupTiming>();
        var clock = Stopwatch.StartNew();

        var admin = await api.TokenAsync(host.Admin.UserName, host.Admin.Password, cancellationToken);
        var password = "lt-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(9));
        var supervisorName = $"lt-{run}-supervisor";
        await api.CreateUserAsync(admin, supervisorName, password, "supervisor", null, cancellationToken);
        var supervisor = await api.TokenAsync(supervisorName, password, cancellationToken);
        var campaignId = await api.CreateCampaignAsync(admin, $"Load test {run}", cancellationToken);
        timings.Add(new SetupTiming("sign-in, supervisor user, campaign", 1, clock.Elapsed));

        var (created, rejected) = await SeedCasesAsync(api, admin, campaignId, plan, run, timings, log, cancellationToken);
        var agents = await SeedAgentsAsync(api, host.NodeUrls, admin, supervisor, campaignId, plan, run, password, timings, log, cancellationToken);
        return new CallCenter(host.BaseUrl, campaignId, agents, supervisor, plan.SignIn, created, rejected, timings);
    }

    private static async Task<(int Created, int Rejected)> SeedCasesAsync(
        DialerApiClient api, string admin, long campaignId, CallCenterPlan plan, string run, List<SetupTiming> timings, TextWriter? log, CancellationToken cancellationToken)
    {
        // A block number per run keeps phones unique against contacts a host given by URL already has.
        var block = RandomNumberGenerator.GetInt32(10, 100);
        var chunks = (plan.Cases + plan.ChunkRows - 1) / plan.ChunkRows;
        TimeSpan importing = TimeSpan.Zero, creating = TimeSpan.Zero;
        int created = 0, rejected = 0;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var first = chunk * plan.ChunkRows;
            var rows = Math.Min(plan.ChunkRows, plan.Cases - first);
            var csv = ContactCsv.Rows(block, first, rows);
            var clock = Stopwatch.StartNew();
            var (groupId, imported, refused) = await api.ImportContactsAsync(
                admin, $"Load test {run} part {chunk + 1} of {chunks}", $"leads-{chunk + 1}.csv", csv, "GB", cancellationToken);
            importing += clock.Elapsed;
            clock.Restart();
            var (made, skipped) = await api.CreateCasesFromGroupAsync(admin, campaignId, groupId, "normal", cancellationToken);
            creating += clock.Elapsed;
            created += made;
            rejected += refused + skipped;
            log?.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  cases: part {chunk + 1}/{chunks}: {imported:N0} contacts imported ({refused} rejected), {made:N0} cases created — {created:N0}/{plan.Cases:N0}"));
        }

        timings.Add(new SetupTiming($"import {plan.Cases:N0} contacts in {chunks} CSV chunk(s)", plan.Cases, importing));
        timings.Add(new SetupTiming($"create {created:N0} cases from the groups", created, creating));
        return (created, rejected);
    }

    private static async Task<IReadOnlyList<AgentSeat>> SeedAgentsAsync(
        DialerApiClient api,
        IReadOnlyList<Uri> nodes,
        string admin,
        string supervisor,
        long campaignId,
        CallCenterPlan plan,
        string run,
        string password,
        List<SetupTiming> timings,
        TextWriter? log,
        CancellationToken cancellationToken)
    {
        var seats = new AgentSeat[plan.Agents];
        var done = 0;
        var clock = Stopwatch.StartNew();
        var options = new ParallelOptions { MaxDegreeOfParallelism = plan.Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Agents), options, async (i, ct) =>
        {
            var agentId = await api.CreateAgentAsync(admin, $"Load agent {run}-{i + 1}", ct);
            await api.AssignAsync(admin, campaignId, agentId, ct);
            var token = supervisor;
            if (plan.SignIn == SignInMode.Agents)
            {
                var userName = $"lt-{run}-agent-{i + 1}";
                await api.CreateUserAsync(admin, userName, password, "agent", agentId, ct);
                token = await api.TokenAsync(userName, password, ct);
            }

            await api.SetStatusAsync(token, agentId, "ready", null, ct);

            // In a cluster the agents are spread over the nodes, as a load balancer would: any node serves any agent.
            var node = nodes[i % nodes.Count];
            seats[i] = new AgentSeat(
                agentId,
                token,
                new Uri(node, $"api/agents/{agentId}/next-case?campaignId={campaignId}"),
                new Uri(node, $"api/agents/{agentId}/complete"),
                new Uri(node, $"api/agents/{agentId}/status"));
            var count = Interlocked.Increment(ref done);
            if (log is not null && (count % 1000 == 0 || count == plan.Agents))
            {
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  agents: {count:N0}/{plan.Agents:N0} created, assigned, signed in and ready"));
            }
        });
        var what = plan.SignIn == SignInMode.Agents ? "own user + token" : "supervisor token";
        timings.Add(new SetupTiming($"create, assign, sign in ({what}) and set ready {plan.Agents:N0} agents", plan.Agents, clock.Elapsed));
        return seats;
    }
}
