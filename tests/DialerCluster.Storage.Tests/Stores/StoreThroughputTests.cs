using System.Diagnostics;
using System.Globalization;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Testing;
using Xunit.Abstractions;

namespace DialerCluster.Storage.Tests;

/// <summary>
/// Prints what the stores do per second on this machine: a 100,000-contact import, creating 100,000 cases
/// in one statement, and durable holds under group commit (each agent loops hold, then release with a call
/// attempt, as Next case and Complete do). Figures only, never a timed assertion; the asserts check the work was done.
/// </summary>
public abstract class StoreThroughputTests(ITestOutputHelper output) : StoreSuiteBase
{
    private const int Contacts100K = 100_000;

    [Fact]
    public async Task Import_case_creation_and_durable_holds_per_second_are_reported()
    {
        var campaign = await NewCampaignAsync();
        var drafts = Phones(Contacts100K)
            .Select((p, i) => new ContactDraft(i + 2, $"Contact {i}", [p], $"c{i}@example.com", "Acme", null, "GB", "Europe/London",
                new Dictionary<string, string> { ["segment"] = (i % 7).ToString(CultureInfo.InvariantCulture) }))
            .ToList();

        var clock = Stopwatch.StartNew();
        var existing = await base.Contacts.ExistingPhonesAsync(drafts.Select(d => d.PrimaryPhone).ToList(), CancellationToken.None);
        var lookup = clock.Elapsed;
        clock.Restart();
        var group = await base.Contacts.ImportGroupAsync("Volume", drafts, drafts.Count, 0, CancellationToken.None);
        var import = clock.Elapsed;
        var contactIds = await base.Contacts.ContactIdsInGroupAsync(group, CancellationToken.None);
        clock.Restart();
        var created = await Cases.CreateCasesAsync(campaign, contactIds, CasePriority.Normal, null, T0, CancellationToken.None);
        var creation = clock.Elapsed;
        clock.Restart();
        var rebuilt = 0;
        await foreach (var _ in Cases.OpenCasesAsync(campaign, CancellationToken.None))
        {
            rebuilt++;
        }

        var rebuild = clock.Elapsed;

        Assert.Empty(existing);
        Assert.Equal(Contacts100K, contactIds.Count);
        Assert.Equal(Contacts100K, created.Created.Count);
        Assert.Equal(Contacts100K, rebuilt);
        output.WriteLine($"{Dialect.Kind}: existing-phone check of 100,000 numbers {lookup.TotalMilliseconds:N0} ms");
        output.WriteLine($"{Dialect.Kind}: import of 100,000 contacts in one transaction {import.TotalMilliseconds:N0} ms");
        output.WriteLine($"{Dialect.Kind}: 100,000 cases created in one statement {creation.TotalMilliseconds:N0} ms");
        output.WriteLine($"{Dialect.Kind}: queue rebuild streaming 100,000 open cases {rebuild.TotalMilliseconds:N0} ms");

        var cases = created.Created.Select(c => c.CaseId).ToArray();
        foreach (var (agents, cycles) in new[] { (50, 100), (500, 30) })
        {
            var (holds, elapsed) = await HoldAndReleaseAsync(cases, agents, cycles);
            output.WriteLine(
                $"{Dialect.Kind}: {agents} agents looping hold + release: {holds:N0} durable holds in {elapsed.TotalSeconds:N2} s = "
                + $"{holds / elapsed.TotalSeconds:N0} holds/s ({2 * holds / elapsed.TotalSeconds:N0} group-committed writes/s)");
        }
    }

    private async Task<(int Holds, TimeSpan Elapsed)> HoldAndReleaseAsync(long[] cases, int agentCount, int cycles)
    {
        var agents = await NewAgentsAsync(agentCount);
        var slice = cases.Length / agentCount;
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(agents.Select((agent, a) => Task.Run(async () =>
        {
            var held = 0;
            for (var i = 0; i < cycles; i++)
            {
                var caseId = cases[a * slice + (i % slice)];
                if (await Cases.TryHoldAsync(caseId, agent, T0, Unclaimed, CancellationToken.None) is not null)
                {
                    held++;
                    Assert.True(await Cases.ReleaseAsync(Release(caseId, agent, attempts: i + 1), CancellationToken.None));
                }
            }

            return held;
        })));
        var elapsed = clock.Elapsed;
        Assert.Equal(agentCount * cycles, counts.Sum());
        return (counts.Sum(), elapsed);
    }
}

public sealed class SqliteStoreThroughputTests(ITestOutputHelper output) : StoreThroughputTests(output)
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await SqliteStoreEngine.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreThroughputTests(PostgresServer server, ITestOutputHelper output) : StoreThroughputTests(output)
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await PostgresStoreEngine.CreateAsync(server);
}
