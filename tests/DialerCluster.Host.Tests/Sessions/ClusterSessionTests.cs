using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using DialerCluster.Testing;
using Xunit.Abstractions;

namespace DialerCluster.Host.Tests.Sessions;

/// <summary>
/// Two nodes on one PostgreSQL database, each with a data folder of its own (issue 12.2, 15.6): a token sealed on one
/// opens on the other because the key ring is in the database; a session ended on one is refused on the other within
/// seconds; a node started again keeps everyone signed in.
/// </summary>
public sealed class ClusterSessionTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    /// <summary>Generous against a loaded machine; the poll interval is 2 s.</summary>
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_token_from_one_node_opens_on_the_other_and_a_session_ended_on_one_is_refused_on_the_other()
    {
        var database = await postgres.CreateDatabaseAsync("cluster_sessions");
        await using var nodeA = new ClusterNodeFactory(database);
        using var adminA = await nodeA.AdminAsync();
        await using var nodeB = new ClusterNodeFactory(database);
        _ = nodeB.Server;

        await adminA.PostAsync("/api/users", new { userName = "roamer", password = "roamer-pass-1", role = "supervisor" }, HttpStatusCode.Created);
        using var fromA = nodeA.CreateClient();
        var token = (await fromA.PostAsync("/api/auth/token", new { userName = "roamer", password = "roamer-pass-1" })).GetProperty("accessToken").GetString()!;
        using var onA = Bearer(nodeA, token);
        using var onB = Bearer(nodeB, token);
        Assert.Equal("roamer", (await onB.GetJsonAsync("/api/auth/me")).GetProperty("userName").GetString());

        await onA.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, "/api/auth/logout");
        var refusedAfter = await UntilRefusedAsync(onB);
        output.WriteLine($"logout on node A refused on node B after {refusedAfter.TotalMilliseconds:F0} ms");

        // And the other way: a user disabled on B loses its session on A.
        var second = (await fromA.PostAsync("/api/auth/token", new { userName = "roamer", password = "roamer-pass-1" })).GetProperty("accessToken").GetString()!;
        using var secondOnA = Bearer(nodeA, second);
        await secondOnA.GetJsonAsync("/api/auth/me");
        using var adminB = await nodeB.AdminAsync();
        var id = (await adminB.GetJsonAsync("/api/users")).EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "roamer").Id();
        await adminB.PatchAsync($"/api/users/{id}", new { disabled = true });
        var disabledAfter = await UntilRefusedAsync(secondOnA);
        output.WriteLine($"user disabled on node B refused on node A after {disabledAfter.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_node_started_again_keeps_everyone_signed_in()
    {
        var database = await postgres.CreateDatabaseAsync("cluster_restart");
        string token;
        await using (var before = new ClusterNodeFactory(database))
        {
            using var admin = await before.AdminAsync();
            token = (await admin.PostAsync("/api/auth/token", new { userName = DialerHostFactory.AdminUser, password = DialerHostFactory.AdminPassword }))
                .GetProperty("accessToken").GetString()!;
        }

        await using var after = new ClusterNodeFactory(database);
        using var client = Bearer(after, token);
        Assert.Equal("admin", (await client.GetJsonAsync("/api/auth/me")).GetProperty("role").GetString());
    }

    private static HttpClient Bearer(DialerHostFactory node, string token)
    {
        var client = node.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<TimeSpan> UntilRefusedAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("/api/auth/me");
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                return watch.Elapsed;
            }

            Assert.True(watch.Elapsed < Propagation, $"still {(int)response.StatusCode} after {watch.Elapsed}");
            await Task.Delay(50);
        }
    }
}
