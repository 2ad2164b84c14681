using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Xunit.Abstractions;

namespace DialerCluster.Host.Tests.SignIn;

/// <summary>
/// Floods of wrong passwords through the real host (issue 15.5): throttled with 429 and Retry-After per user name and
/// per address, a lockout after repeated failures that is audited and holds even for the right password, and the
/// host still answering /healthz while it happens.
/// </summary>
public sealed class SignInFloodTests(ITestOutputHelper output)
{
    /// <summary>Generous: a loaded CI machine may stall, but never for this long on a cheap request.</summary>
    private static readonly TimeSpan HealthBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_flood_of_wrong_passwords_is_throttled_then_locks_the_user_with_an_audit_row_while_healthz_answers()
    {
        await using var factory = new SignInFactory();
        using var admin = await factory.AdminAsync();
        var target = (await admin.PostAsync("/api/users", new { userName = "flooded", password = "right-pass-123", role = "supervisor" }, HttpStatusCode.Created)).Id();
        using var client = factory.CreateClient();

        // 200 wrong passwords at once, /healthz polled all the while.
        using var flooding = new CancellationTokenSource();
        var health = PollHealthAsync(client, flooding.Token);
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => TokenAsync(client, "flooded", "wrong-password")));
        await flooding.CancelAsync();
        var slowest = await health;
        output.WriteLine($"flood: {answers.Count(a => a.Status == 401)} × 401, {answers.Count(a => a.Status == 429)} × 429; slowest /healthz {slowest.TotalMilliseconds:F0} ms");

        Assert.Equal(3, answers.Count(a => a.Status == 401));
        Assert.All(answers.Where(a => a.Status != 401), a =>
        {
            Assert.Equal(429, a.Status);
            Assert.True(a.RetryAfter >= 1, "429 without Retry-After");
            Assert.Contains("for this user", a.Detail, StringComparison.Ordinal);
        });
        Assert.True(slowest < HealthBound, $"/healthz took {slowest} during the flood");

        // Keep guessing, waiting as told (the clock is moved by hand): the tenth wrong password locks the user.
        var wrong = 3;
        while (wrong < 10)
        {
            var answer = await TokenAsync(client, "flooded", "wrong-password");
            if (answer.Status == 429)
            {
                factory.Clock.Advance(TimeSpan.FromSeconds(answer.RetryAfter));
                continue;
            }

            Assert.Equal(401, answer.Status);
            wrong++;
        }

        var locked = await TokenAsync(client, "flooded", "right-pass-123");
        Assert.Equal(429, locked.Status);
        Assert.Contains("locked", locked.Detail, StringComparison.Ordinal);
        Assert.InRange(locked.RetryAfter, 14 * 60, 15 * 60);

        var audit = await admin.GetJsonAsync("/api/audit?action=sign_in.locked");
        var entry = Assert.Single(audit.EnumerateArray());
        Assert.Equal(("system", $"user:{target}"), (entry.GetProperty("actor").GetString(), entry.GetProperty("subject").GetString()));
        Assert.Contains("10 failed sign-ins", entry.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.Parse(entry.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= factory.Clock.Now);
        var row = (await admin.GetJsonAsync("/api/users")).EnumerateArray().Single(u => u.Id() == target);
        Assert.Equal(JsonValueKind.String, row.GetProperty("lockedUntil").ValueKind);

        // The lockout is on the user's row: it holds after the node forgets its counters, until it runs out.
        factory.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(429, (await TokenAsync(client, "flooded", "right-pass-123")).Status);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(200, (await TokenAsync(client, "flooded", "right-pass-123")).Status);
    }

    [Fact]
    public async Task Guessing_many_names_from_one_address_slows_that_address_only_and_is_audited()
    {
        await using var factory = new SignInFactory { Settings = new Dictionary<string, string> { ["Auth:SignIn:AddressFreeFailures"] = "20" } };
        using var admin = await factory.AdminAsync();
        using var client = factory.CreateClient();

        var answers = new List<Answer>();
        for (var i = 0; i < 25; i++)
        {
            answers.Add(await TokenAsync(client, $"guess-{i}", "wrong-password", "10.9.8.7"));
        }

        var elsewhere = await TokenAsync(client, "guess-99", "wrong-password", "10.9.8.6");
        var rightFromThere = await TokenAsync(client, SignInFactory.AdminUser, SignInFactory.AdminPassword, "10.9.8.7");

        Assert.Equal(Enumerable.Repeat(401, 20).Concat(Enumerable.Repeat(429, 5)), answers.Select(a => a.Status));
        Assert.All(answers.Skip(20), a => Assert.Contains("from your address", a.Detail, StringComparison.Ordinal));
        Assert.Equal(401, elsewhere.Status);
        Assert.Equal(429, rightFromThere.Status);
        var audit = await admin.GetJsonAsync("/api/audit?action=sign_in.throttled");
        Assert.Equal("address:10.9.8.7", Assert.Single(audit.EnumerateArray()).GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Sign_ins_from_many_addresses_at_once_queue_for_hashing_or_are_told_to_retry_while_healthz_answers()
    {
        await using var factory = new SignInFactory { Settings = new Dictionary<string, string> { ["Auth:SignIn:HashingQueue"] = "20" } };
        using var client = factory.CreateClient();
        _ = await factory.AdminAsync();

        using var flooding = new CancellationTokenSource();
        var health = PollHealthAsync(client, flooding.Token);
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => TokenAsync(client, $"bot-{i}", "wrong-password", $"10.{i / 250}.{i % 250}.1")));
        await flooding.CancelAsync();
        var slowest = await health;
        output.WriteLine(
            $"300 sign-ins from 300 addresses in {clock.ElapsedMilliseconds} ms: {answers.Count(a => a.Status == 401)} × 401, "
            + $"{answers.Count(a => a.Status == 503)} × 503; slowest /healthz {slowest.TotalMilliseconds:F0} ms");

        Assert.All(answers, a => Assert.True(a.Status is 401 or 503, $"got {a.Status}"));
        Assert.All(answers.Where(a => a.Status == 503), a => Assert.Equal(1, a.RetryAfter));
        Assert.Contains(answers, a => a.Status == 503);
        Assert.True(slowest < HealthBound, $"/healthz took {slowest} during the flood");
    }

    private sealed record Answer(int Status, int RetryAfter, string Detail);

    private static async Task<Answer> TokenAsync(HttpClient client, string userName, string password, string? address = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = JsonContent.Create(new { userName, password }) };
        if (address is not null)
        {
            request.Headers.Add(SignInFactory.AddressHeader, address);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var detail = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            && JsonDocument.Parse(text).RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? string.Empty : string.Empty;
        var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : 0;
        return new Answer((int)response.StatusCode, retryAfter, detail);
    }

    /// <summary>GET /healthz back to back until cancelled; the slowest answer.</summary>
    private static async Task<TimeSpan> PollHealthAsync(HttpClient client, CancellationToken stop)
    {
        var slowest = TimeSpan.Zero;
        var samples = 0;
        while (!stop.IsCancellationRequested || samples == 0)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync("/healthz", CancellationToken.None);
            response.EnsureSuccessStatusCode();
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            samples++;
        }

        return slowest;
    }
}
