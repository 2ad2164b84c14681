using System.Net;
using System.Text.Json;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Api;

/// <summary>The sales funnel end to end through the real host: campaign, agents, import, cases, Next case, complete, PATCH, reminders, monitor.</summary>
public sealed class FunnelApiTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task The_whole_funnel_works_over_http()
    {
        using var api = await factory.AdminAsync();
        var campaign = await api.PostAsync("/api/campaigns", new
        {
            name = "Spring leads",
            dialMode = "preview",
            callingWindow = new { start = "08:00", end = "20:00" },
            maxAttempts = 3,
            retryDelays = new { noAnswer = "01:00:00", busy = 600 },
            holdTimeout = "PT20M",
        }, HttpStatusCode.Created);
        var campaignId = campaign.Id();
        Assert.Equal("preview", campaign.GetProperty("dialMode").GetString());
        Assert.Equal("00:10:00", campaign.GetProperty("retryDelays").GetProperty("busy").GetString());

        var agent = (await api.PostAsync("/api/agents", new { name = "Ada" }, HttpStatusCode.Created)).Id();
        Assert.Equal("offline", (await api.GetJsonAsync($"/api/agents/{agent}")).GetProperty("status").GetString());
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{campaignId}/agents/{agent}");

        var phones = ApiCalls.Phones(4);
        var csv = "name,phone,email\n"
            + $"Anna,{phones[0]},anna@example.com\n"
            + "Bad phone,12ab,\n"
            + $"Ben,{phones[1]},\n"
            + $"Dup of Anna,{phones[0]},\n"
            + "No phone,,\n"
            + $"Cleo,{phones[2]},not-an-email\n"
            + $"Dora,{phones[3]},\n";
        var import = await api.ImportAsync("Spring fair", csv);
        Assert.Equal(3, import.GetProperty("imported").GetInt32());
        var rejected = import.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("field").GetString())).ToArray();
        Assert.Contains((3, "phone"), rejected);
        Assert.Contains((5, "phone"), rejected);
        Assert.Contains((6, "phone"), rejected);
        Assert.Contains((7, "email"), rejected);

        var created = await api.PostAsync($"/api/campaigns/{campaignId}/cases", new { contactGroupId = import.GetProperty("groupId").GetInt64(), priority = "normal" });
        Assert.Equal(3, created.GetProperty("created").GetInt32());
        var again = await api.PostAsync($"/api/campaigns/{campaignId}/cases", new { contactGroupId = import.GetProperty("groupId").GetInt64() });
        Assert.Equal((0, 3), (again.GetProperty("created").GetInt32(), again.GetProperty("skipped").GetInt32()));

        var tabs = await api.GetJsonAsync($"/api/campaigns/{campaignId}/cases?status=new&page=1&pageSize=10");
        Assert.Equal(3, tabs.GetProperty("total").GetInt64());

        await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/agents/{agent}/next-case?campaignId={campaignId}");
        var ready = await api.PutAsync($"/api/agents/{agent}/status", new { status = "ready" });
        Assert.Equal("ready", ready.GetProperty("status").GetString());

        var offer = await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaignId}");
        var first = offer.GetProperty("case");
        Assert.Equal(phones[0], offer.GetProperty("contact").GetProperty("phones")[0].GetString());
        Assert.Equal(JsonValueKind.Null, offer.GetProperty("call").ValueKind);
        Assert.Equal(agent, first.GetProperty("holderAgentId").GetInt64());
        Assert.Equal("new", first.GetProperty("status").GetString());
        Assert.Equal("normal", first.GetProperty("priority").GetString());

        var repeated = await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaignId}");
        Assert.Equal(first.Id(), repeated.GetProperty("case").Id());

        var done = await api.PostAsync($"/api/agents/{agent}/complete", new { outcome = "no_answer" });
        Assert.Equal((1, "retry_at"), (done.GetProperty("attempts").GetInt32(), done.GetProperty("retry").GetString()));
        Assert.Equal(factory.Clock.Now.AddHours(1), done.GetProperty("nextAttemptAt").GetDateTimeOffset());

        var second = (await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaignId}")).GetProperty("case");
        Assert.NotEqual(first.Id(), second.Id());

        var version = second.GetProperty("version").GetInt64();
        var missing = await api.PatchAsync($"/api/cases/{second.Id()}", new { status = "in_acquisition", note = "wants a demo", version }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["nextContactAt", "acquisitionStage", "leadSource", "expectedCloseDate"], missing.ProblemFields());

        version = (await api.PatchAsync($"/api/cases/{second.Id()}", new { note = "wants a demo", version })).GetProperty("version").GetInt64();
        var callbackAt = factory.Clock.Now.AddHours(3);
        var saved = await api.PatchAsync($"/api/cases/{second.Id()}", new
        {
            version,
            status = "in_acquisition",
            nextContactAt = callbackAt,
            acquisitionStage = "demo booked",
            leadSource = "fair",
            expectedCloseDate = "2030-06-30",
            ownerAgentId = agent,
        });
        Assert.Equal("in_acquisition", saved.GetProperty("status").GetString());
        Assert.Equal("wants a demo", saved.GetProperty("note").GetString());
        await api.PostAsync($"/api/agents/{agent}/complete", new { outcome = "talked" });

        var details = await api.GetJsonAsync($"/api/cases/{second.Id()}");
        var kinds = details.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("kind").GetString()).ToArray();
        Assert.Contains("status_changed", kinds);
        Assert.Contains("call_attempt", kinds);

        var third = (await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaignId}")).GetProperty("case");
        var earlierCallback = factory.Clock.Now.AddHours(1);
        await api.PatchAsync($"/api/cases/{third.Id()}", new { status = "offered", nextContactAt = earlierCallback, contractStage = "draft", ownerAgentId = agent, version = third.GetProperty("version").GetInt64() });
        await api.PostAsync($"/api/agents/{agent}/complete", new { outcome = "talked" });

        var reminders = (await api.GetJsonAsync($"/api/agents/{agent}/reminders")).EnumerateArray().ToArray();
        Assert.Equal([third.Id(), second.Id()], reminders.Select(r => r.Id()));

        // Nothing is due now: the first case waits for its retry, the other two for their callbacks.
        Assert.Equal("nothing_dialable", await api.NoCaseAsync(agent, campaignId));

        factory.Clock.Advance(TimeSpan.FromHours(1));
        var due = (await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaignId}")).GetProperty("case");
        Assert.Equal(third.Id(), due.Id());

        var monitor = await api.GetJsonAsync("/api/monitor");
        var wallAgent = monitor.GetProperty("agents").EnumerateArray().Single(a => a.Id() == agent);
        Assert.Equal(("ready", third.Id()), (wallAgent.GetProperty("status").GetString(), wallAgent.GetProperty("caseId").GetInt64()));
        var wallCampaign = monitor.GetProperty("campaigns").EnumerateArray().Single(c => c.Id() == campaignId);
        Assert.Equal(1, wallCampaign.GetProperty("held").GetInt32());
        Assert.Equal(1, wallCampaign.GetProperty("casesByStatus").GetProperty("in_acquisition").GetInt32());
        Assert.Equal(1, wallCampaign.GetProperty("casesByStatus").GetProperty("offered").GetInt32());
    }

    [Fact]
    public async Task Nothing_eligible_answers_204()
    {
        using var api = await factory.AdminAsync();
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "empty" }, HttpStatusCode.Created)).Id();
        var agent = await api.ReadyAgentAsync(campaign);

        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/agents/{agent}/next-case?campaignId={campaign}");
    }

    [Fact]
    public async Task Higher_priority_is_served_first_and_an_owner_gets_its_own_case_first()
    {
        using var api = await factory.AdminAsync();
        var phones = ApiCalls.Phones(4);
        var (campaign, agent) = await api.CampaignWithCasesAsync(phones.Take(2));
        var other = await api.ReadyAgentAsync(campaign, "Other");
        var high = await api.PostAsync($"/api/campaigns/{campaign}/cases", new { contact = new { name = "VIP", phone = phones[2] }, priority = "high" });
        var owned = await api.PostAsync($"/api/campaigns/{campaign}/cases", new { contact = new { name = "Mine", phone = phones[3], defaultCountry = "DE" }, ownerAgentId = other });

        var forAgent = (await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}")).GetProperty("case");
        var forOther = (await api.PostAsync($"/api/agents/{other}/next-case?campaignId={campaign}")).GetProperty("case");

        Assert.Equal(high.GetProperty("caseIds")[0].GetInt64(), forAgent.Id());
        Assert.Equal(owned.GetProperty("caseIds")[0].GetInt64(), forOther.Id());
    }

    [Fact]
    public async Task A_number_on_the_do_not_call_list_is_skipped_until_removed()
    {
        using var api = await factory.AdminAsync();
        var phones = ApiCalls.Phones(1);
        var (campaign, agent) = await api.CampaignWithCasesAsync(phones);

        var listed = await api.PostAsync("/api/dnc", new { phone = phones[0], reason = "asked not to be called" }, HttpStatusCode.Created);
        Assert.Equal(phones[0], listed.GetProperty("phone").GetString());
        Assert.Contains(phones[0], (await api.GetJsonAsync("/api/dnc")).EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("nothing_dialable", await api.NoCaseAsync(agent, campaign));

        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/dnc/{Uri.EscapeDataString(phones[0])}");
        var offer = await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}");

        Assert.Equal(phones[0], offer.GetProperty("contact").GetProperty("phones")[0].GetString());
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"/api/dnc/{Uri.EscapeDataString(phones[0])}");
    }

    [Fact]
    public async Task Out_of_attempts_a_case_is_not_offered_again()
    {
        using var api = await factory.AdminAsync();
        var (campaign, agent) = await api.CampaignWithCasesAsync(ApiCalls.Phones(1), new { name = "one try", maxAttempts = 1 });

        await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}");
        var done = await api.PostAsync($"/api/agents/{agent}/complete", new { outcome = "busy" });

        Assert.Equal("exhausted", done.GetProperty("retry").GetString());
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("nothing_dialable", await api.NoCaseAsync(agent, campaign));
    }

    [Fact]
    public async Task Next_case_outside_the_leads_calling_hours_says_so()
    {
        using var api = await factory.AdminAsync();

        // The API clock stands at midday UTC; these leads may be called only an hour later where they live.
        var (campaign, agent) = await api.CampaignWithCasesAsync(ApiCalls.Phones(2), new { name = "afternoon only", callingWindow = new { start = "15:00", end = "18:00" } });

        Assert.Equal("calling_hours", await api.NoCaseAsync(agent, campaign));
        factory.Clock.Advance(TimeSpan.FromHours(3));
        await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}");
    }

    [Fact]
    public async Task Unknown_ids_are_404_naming_the_field()
    {
        using var api = await factory.AdminAsync();
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "known" }, HttpStatusCode.Created)).Id();
        var agent = await api.ReadyAgentAsync(campaign);

        Assert.Equal(["campaignId"], (await api.GetJsonAsync("/api/campaigns/987654", HttpStatusCode.NotFound)).ProblemFields());
        Assert.Equal(["agentId"], (await api.GetJsonAsync("/api/agents/987654", HttpStatusCode.NotFound)).ProblemFields());
        Assert.Equal(["caseId"], (await api.GetJsonAsync("/api/cases/987654", HttpStatusCode.NotFound)).ProblemFields());
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Patch, "/api/cases/987654", new { note = "x" });
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Put, $"/api/campaigns/{campaign}/agents/987654");
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Put, $"/api/campaigns/987654/agents/{agent}");
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/agents/{agent}/next-case?campaignId=987654");
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, "/api/campaigns/987654/cases", new { contactIds = new[] { 1 } });
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/campaigns/{campaign}/cases", new { contactGroupId = 987654 });
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/api/agents/987654/reminders");
    }

    [Fact]
    public async Task An_agent_not_assigned_to_the_campaign_is_refused_403()
    {
        using var api = await factory.AdminAsync();
        var (campaign, _) = await api.CampaignWithCasesAsync(ApiCalls.Phones(1));
        var elsewhere = (await api.PostAsync("/api/campaigns", new { name = "elsewhere" }, HttpStatusCode.Created)).Id();
        var outsider = await api.ReadyAgentAsync(elsewhere, "Outsider");

        var refusal = await api.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"/api/agents/{outsider}/next-case?campaignId={campaign}");

        Assert.Equal(["campaignId"], refusal.ProblemFields());
    }

    [Fact]
    public async Task An_agent_user_may_act_only_as_itself()
    {
        using var api = await factory.AdminAsync();
        var (campaign, agent) = await api.CampaignWithCasesAsync(ApiCalls.Phones(1));
        var other = await api.ReadyAgentAsync(campaign, "Other");
        await api.PostAsync("/api/users", new { userName = $"agent{agent}", password = "agent-pass-123", role = "agent", agentId = agent }, HttpStatusCode.Created);
        using var self = await factory.SignedInAsync($"agent{agent}", "agent-pass-123");

        await self.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}");
        await self.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"/api/agents/{other}/next-case?campaignId={campaign}");
        await self.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/api/campaigns", new { name = "not mine to make" });
    }

    [Fact]
    public async Task Conflicts_are_409()
    {
        using var api = await factory.AdminAsync();
        var (campaign, agent) = await api.CampaignWithCasesAsync(ApiCalls.Phones(1));
        var other = await api.ReadyAgentAsync(campaign, "Other");

        await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/agents/{agent}/complete", new { outcome = "talked" });
        var held = (await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}")).GetProperty("case");

        var stale = await api.PatchAsync($"/api/cases/{held.Id()}", new { note = "x", version = held.GetProperty("version").GetInt64() + 5 }, HttpStatusCode.Conflict);
        Assert.Equal(["version"], stale.ProblemFields());
        var notYours = await api.PatchAsync($"/api/cases/{held.Id()}", new { note = "mine", agentId = other, version = held.GetProperty("version").GetInt64() }, HttpStatusCode.Conflict);
        Assert.Equal(["agentId"], notYours.ProblemFields());
        await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/agents/{agent}/status", new { status = "wrap_up" });
        await api.PatchAsync($"/api/campaigns/{campaign}", new { maxAttempts = 4, version = 999 }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Campaign_settings_change_and_bad_values_are_422_naming_each_field()
    {
        using var api = await factory.AdminAsync();
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "tunable" }, HttpStatusCode.Created)).Id();

        var bad = await api.PatchAsync($"/api/campaigns/{campaign}", new { maxAttempts = 0, holdTimeout = -5, callingWindow = new { start = "22:00", end = "08:00" } }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["callingWindow", "maxAttempts", "holdTimeout"], bad.ProblemFields());

        var changed = await api.PatchAsync($"/api/campaigns/{campaign}", new { dialMode = "power", ownerFallback = "00:30:00", linesPerAgent = 3 });
        Assert.Equal(("power", "00:30:00", 3), (changed.GetProperty("dialMode").GetString(), changed.GetProperty("ownerFallback").GetString(), changed.GetProperty("linesPerAgent").GetInt32()));
        Assert.Equal("tunable", changed.GetProperty("name").GetString());

        var list = await api.GetJsonAsync("/api/campaigns");
        Assert.Contains(list.EnumerateArray(), c => c.Id() == campaign && c.GetProperty("dialMode").GetString() == "power");
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/campaigns/{campaign}/agents/{await api.ReadyAgentAsync(campaign)}");
    }

    [Fact]
    public async Task A_file_level_import_error_is_400_on_the_file_field_and_writes_nothing()
    {
        using var api = await factory.AdminAsync();

        var empty = await api.ImportAsync("empty", "", expected: HttpStatusCode.BadRequest);
        var noPhone = await api.ImportAsync("no phone column", "name,email\nAnna,a@example.com\n", expected: HttpStatusCode.BadRequest);
        var country = await api.ImportAsync("bad country", "name,phone\nA,030 1234567\n", defaultCountry: "ZZ", expected: HttpStatusCode.BadRequest);

        Assert.Equal(["file"], empty.ProblemFields());
        Assert.Equal(["file"], noPhone.ProblemFields());
        Assert.Equal(["defaultCountry"], country.ProblemFields());
    }

    [Fact]
    public async Task A_contact_already_stored_is_reported_as_a_duplicate_on_the_next_import()
    {
        using var api = await factory.AdminAsync();
        var phones = ApiCalls.Phones(2);
        await api.ImportAsync("first", $"name,phone\nA,{phones[0]}\n");

        var second = await api.ImportAsync("second", $"name,phone\nA again,{phones[0]}\nB,{phones[1]}\n");

        Assert.Equal(1, second.GetProperty("imported").GetInt32());
        var rejection = Assert.Single(second.GetProperty("rejected").EnumerateArray());
        Assert.Equal((2, "phone"), (rejection.GetProperty("row").GetInt32(), rejection.GetProperty("field").GetString()));
        Assert.Contains("existing contact", rejection.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_api()
    {
        using var api = await factory.AdminAsync();

        var document = await api.GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/agents/{id}/next-case", paths);
        Assert.Contains("/api/cases/{id}", paths);
        Assert.Contains("/api/contact-groups/import", paths);
    }
}
