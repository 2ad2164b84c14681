using System.Net;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace DialerCluster.Host.Tests.Auth;

/// <summary>GET /api/monitor/stream: a snapshot first, then every change, and heartbeats in quiet times.</summary>
public sealed class MonitorStreamTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task The_stream_starts_with_the_whole_wall_then_sends_each_agent_change()
    {
        using var admin = await factory.AdminAsync();
        var agent = (await admin.PostAsync("/api/agents", new { name = "Streamed" }, HttpStatusCode.Created)).Id();
        await admin.PutAsync($"/api/agents/{agent}/status", new { status = "ready" });

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/monitor/stream"), HttpCompletionOption.ResponseHeadersRead, guard.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(guard.Token));

        var (name, data) = await NextEventAsync(reader, guard.Token);
        Assert.Equal("snapshot", name);
        var mine = data.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == agent);
        Assert.Equal("ready", mine.GetProperty("status").GetString());

        await admin.PutAsync($"/api/agents/{agent}/status", new { status = "break", reason = "Lunch" });
        JsonElement change;
        do
        {
            (name, change) = await NextEventAsync(reader, guard.Token);
        }
        while (name != "agent" || change.GetProperty("id").GetInt64() != agent);

        Assert.Equal(("break", "Lunch"), (change.GetProperty("status").GetString(), change.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_quiet_stream_sends_heartbeats()
    {
        // A host of its own with a one-second heartbeat, so a quiet stream shows one quickly.
        await using var quiet = new DialerApiFactory();
        await using var host = quiet.WithWebHostBuilder(b => b.UseSetting("Live:HeartbeatSeconds", "1"));
        using var admin = host.CreateClient();
        var token = await admin.PostAsync("/api/auth/token", new { userName = DialerApiFactory.AdminUser, password = DialerApiFactory.AdminPassword });
        admin.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/monitor/stream"), HttpCompletionOption.ResponseHeadersRead, guard.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(guard.Token));
        Assert.Equal("snapshot", (await NextEventAsync(reader, guard.Token)).Name);

        string name;
        do
        {
            (name, _) = await NextEventAsync(reader, guard.Token);
        }
        while (name != "heartbeat");
    }

    private static async Task<(string Name, JsonElement Data)> NextEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? name = null;
        string? data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null && data is not null)
                {
                    return (name, JsonDocument.Parse(data).RootElement.Clone());
                }

                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }

        throw new EndOfStreamException("The stream ended.");
    }
}
