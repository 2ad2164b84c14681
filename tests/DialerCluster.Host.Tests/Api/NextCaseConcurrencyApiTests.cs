using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using DialerCluster.Host.Tests.Support;
using Xunit.Abstractions;

namespace DialerCluster.Host.Tests.Api;

/// <summary>Many agents clicking Next case at once through the real host and its SQLite store.</summary>
public sealed class NextCaseConcurrencyApiTests(DialerApiFactory factory, ITestOutputHelper output) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task Two_hundred_agents_in_parallel_over_ten_thousand_cases_never_get_the_same_case()
    {
        const int Agents = 200;
        const int Cases = 10_000;
        using var api = await factory.AdminAsync();
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "rush hour", maxAttempts = 5 }, HttpStatusCode.Created)).Id();
        var csv = new StringBuilder("name,phone\n");
        foreach (var (phone, i) in ApiCalls.Phones(Cases).Select((p, i) => (p, i)))
        {
            csv.Append("Lead ").Append(i).Append(',').Append(phone).Append('\n');
        }

        var group = await api.ImportAsync("rush", csv.ToString());
        Assert.Equal(Cases, group.GetProperty("imported").GetInt32());
        var created = await api.PostAsync($"/api/campaigns/{campaign}/cases", new { contactGroupId = group.GetProperty("groupId").GetInt64() });
        Assert.Equal(Cases, created.GetProperty("created").GetInt32());
        var agents = new List<long>();
        for (var i = 0; i < Agents; i++)
        {
            agents.Add(await api.ReadyAgentAsync(campaign, $"Agent {i}"));
        }

        var handedOut = new ConcurrentBag<long>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(agents.Select(agent => Task.Run(async () =>
        {
            using var client = await factory.AdminAsync();
            while (true)
            {
                var (status, offer) = await client.SendAsync(HttpMethod.Post, $"/api/agents/{agent}/next-case?campaignId={campaign}");
                if (status == HttpStatusCode.NoContent)
                {
                    return;
                }

                Assert.True(status == HttpStatusCode.OK, $"next-case answered {(int)status}: {offer}");
                handedOut.Add(offer.GetProperty("case").Id());

                // No answer: the retry is hours away on the test clock, so no case can come round twice.
                await client.PostAsync($"/api/agents/{agent}/complete", new { outcome = "no_answer" });
            }
        })));
        clock.Stop();

        var ids = handedOut.ToArray();
        output.WriteLine($"{ids.Length} next-case + complete pairs by {Agents} agents in {clock.Elapsed.TotalSeconds:0.0} s ({ids.Length / clock.Elapsed.TotalSeconds:0} pairs/s)");
        Assert.Equal(Cases, ids.Length);
        Assert.Equal(Cases, ids.Distinct().Count());
        var page = await api.GetJsonAsync($"/api/campaigns/{campaign}/cases?pageSize=1");
        Assert.Equal(Cases, page.GetProperty("total").GetInt64());
    }
}
