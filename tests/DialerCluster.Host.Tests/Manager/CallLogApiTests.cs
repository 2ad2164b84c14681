using System.Net;
using System.Text.Json;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Manager;

/// <summary>The call log over HTTP: a day's calls found by agent and outcome, rated by a supervisor, the rating in the agent's results.</summary>
public sealed class CallLogApiTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task A_supervisor_finds_a_days_call_and_rates_it_and_the_rating_feeds_the_agents_results()
    {
        using var api = await factory.AdminAsync();
        var (campaign, talked, missed, ada) = await CallsAsync(api, "Rated");
        var day = factory.Clock.Day();

        var log = await api.GetJsonAsync($"/api/calls?day={day}&campaignId={campaign}");
        var adas = await api.GetJsonAsync($"/api/calls?day={day}&campaignId={campaign}&agentId={ada}&outcome=talked");
        var rated = await api.PutAsync($"/api/calls/{talked}/rating", new { score = 4, comment = "  Good discovery questions " });
        var results = await api.GetJsonAsync($"/api/reports/agents?from={day}&to={day}&campaignId={campaign}");

        Assert.Equal([talked, missed], log.GetProperty("items").EnumerateArray().Select(c => c.Id()));
        var call = Assert.Single(adas.GetProperty("items").EnumerateArray());
        Assert.Equal(("Ada", "talked", 240.0), (call.GetProperty("agentName").GetString(), call.GetProperty("outcome").GetString(), call.GetProperty("talkSeconds").GetDouble()));
        Assert.Equal(JsonValueKind.Null, call.GetProperty("recordingUrl").ValueKind);
        Assert.Equal((4, "Good discovery questions", "admin"), (rated.GetProperty("score").GetInt32(), rated.GetProperty("comment").GetString(), rated.GetProperty("ratedBy").GetString()));
        Assert.Equal(4, (await api.GetJsonAsync($"/api/calls/{talked}")).GetProperty("rating").GetProperty("score").GetInt32());
        var row = results.GetProperty("rows").EnumerateArray().Single(r => r[0].GetString() == "Ada");
        Assert.Equal((4m, 1L), (row[9].GetDecimal(), row[10].GetInt64()));
        var audit = Assert.Single(await factory.AuditAsync($"call {talked}"));
        Assert.Equal(("call.rate", "admin"), (audit.Action, audit.Actor));
    }

    [Fact]
    public async Task A_bad_rating_or_an_unknown_call_is_refused_naming_the_field()
    {
        using var api = await factory.AdminAsync();
        var (_, talked, _, _) = await CallsAsync(api, "Refused");

        var tooHigh = await api.PutAsync($"/api/calls/{talked}/rating", new { score = 6 }, HttpStatusCode.UnprocessableEntity);
        var missing = await api.PutAsync($"/api/calls/{talked}/rating", new { comment = "no score" }, HttpStatusCode.UnprocessableEntity);
        var unknown = await api.PutAsync($"/api/calls/{talked + 1000}/rating", new { score = 3 }, HttpStatusCode.NotFound);
        var badOutcome = await api.GetJsonAsync("/api/calls?outcome=shouted", HttpStatusCode.BadRequest);

        Assert.Equal(["score"], tooHigh.ProblemFields());
        Assert.Equal(["score"], missing.ProblemFields());
        Assert.Equal(["id"], unknown.ProblemFields());
        Assert.Equal(["outcome"], badOutcome.ProblemFields());
        Assert.Empty(await factory.AuditAsync($"call {talked}"));
    }

    /// <summary>A campaign with Ada's talked call (4 minutes) and an unanswered one, through the real call store.</summary>
    private async Task<(long Campaign, long Talked, long Missed, long Ada)> CallsAsync(HttpClient api, string name)
    {
        var campaign = (await api.PostAsync("/api/campaigns", new { name }, HttpStatusCode.Created)).Id();
        var ada = (await api.PostAsync("/api/agents", new { name = "Ada" }, HttpStatusCode.Created)).Id();
        var caseId = await api.CaseAsync(campaign, "Called client");
        var calls = factory.Services.GetRequiredService<ICallStore>();
        var at = factory.Clock.Now.AddHours(-2);
        var talked = await calls.StartAsync(new CallStart(caseId, campaign, ada, "+4930111", at), CancellationToken.None);
        await calls.EndAsync(new CallEnd(talked, ada, at.AddSeconds(10), at.AddSeconds(250), CallOutcome.Talked, false), CancellationToken.None);
        var missed = await calls.StartAsync(new CallStart(caseId, campaign, null, "+4930111", at.AddHours(-1)), CancellationToken.None);
        await calls.EndAsync(new CallEnd(missed, null, null, at.AddHours(-1).AddSeconds(25), CallOutcome.NoAnswer, false), CancellationToken.None);
        return (campaign, talked, missed, ada);
    }
}
