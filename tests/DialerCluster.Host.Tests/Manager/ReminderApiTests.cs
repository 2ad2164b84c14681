using System.Net;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Manager;

/// <summary>
/// The Reminders list over HTTP: every booked callback for supervisors, owned or not (also one booked through the API),
/// overdue ones marked; an agent only its own.
/// </summary>
public sealed class ReminderApiTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task Supervisors_see_every_callback_and_an_agent_only_those_it_owns_or_booked()
    {
        using var api = await factory.AdminAsync();
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "Callbacks" }, HttpStatusCode.Created)).Id();
        var rita = await api.ReadyAgentAsync(campaign, "Rita");
        var sam = await api.ReadyAgentAsync(campaign, "Sam");
        await api.PostAsync("/api/users", new { userName = "rita", password = "rita-pass-123", role = "agent", agentId = rita }, HttpStatusCode.Created);
        await api.PostAsync("/api/users", new { userName = "sam", password = "sam-pass-1234", role = "agent", agentId = sam }, HttpStatusCode.Created);
        using var ritaApi = await factory.SignedInAsync("rita", "rita-pass-123");
        using var samApi = await factory.SignedInAsync("sam", "sam-pass-1234");
        var booked = await api.CaseAsync(campaign, "Booked by Rita");
        var viaApi = await api.CaseAsync(campaign, "Booked through the API");
        var owned = await api.CaseAsync(campaign, "Owned by Rita");
        var now = factory.Clock.Now;

        await ritaApi.SaveCaseAsync(booked, Interested(now.AddHours(1)));
        await api.SaveCaseAsync(viaApi, Interested(now.AddHours(-1)));
        await api.SaveCaseAsync(owned, new { status = "offered", nextContactAt = now.AddHours(2), contractStage = "sent", ownerAgentId = rita });

        var all = await api.GetJsonAsync($"/api/reminders?campaignId={campaign}");
        var unowned = await api.GetJsonAsync($"/api/reminders?campaignId={campaign}&owner=none");
        var ritas = await ritaApi.GetJsonAsync($"/api/reminders?campaignId={campaign}");
        var desk = await ritaApi.GetJsonAsync($"/api/agents/{rita}/reminders?campaignId={campaign}");
        var sams = await samApi.GetJsonAsync("/api/reminders");

        Assert.Equal([viaApi, booked, owned], all.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("caseId").GetInt64()));
        Assert.Equal([true, false, false], all.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("overdue").GetBoolean()));
        Assert.Equal(["admin", "rita", "admin"], all.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("bookedBy").GetString()));
        Assert.Equal([viaApi, booked], unowned.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("caseId").GetInt64()));
        Assert.Equal([booked, owned], ritas.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("caseId").GetInt64()));
        Assert.Equal([booked, owned], desk.EnumerateArray().Select(r => r.Id()));
        Assert.Equal(0, sams.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_bad_filter_is_a_400_naming_it()
    {
        using var api = await factory.AdminAsync();

        Assert.Equal(["owner"], (await api.GetJsonAsync("/api/reminders?owner=someone", HttpStatusCode.BadRequest)).ProblemFields());
        Assert.Equal(["pageSize"], (await api.GetJsonAsync("/api/reminders?pageSize=501", HttpStatusCode.BadRequest)).ProblemFields());
    }

    private static object Interested(DateTimeOffset callback) => new
    {
        status = "in_acquisition",
        nextContactAt = callback,
        acquisitionStage = "demo",
        leadSource = "Web form",
        expectedCloseDate = DateOnly.FromDateTime(callback.UtcDateTime.AddDays(20)),
    };
}
