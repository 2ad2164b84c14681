using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Tracing;

/// <summary>
/// The spans of one dialed Next case, heard in process by an ActivityListener while the real host (real stores, the
/// simulated carrier on real time) dials a progressive campaign. The requests carry a traceparent the test chose, so
/// the spans of other tests' hosts in this process are told apart by trace id.
/// </summary>
public sealed class NextCaseTraceTests(RealTimeDialerFactory factory) : IClassFixture<RealTimeDialerFactory>
{
    [Fact(Timeout = 60_000)]
    public async Task A_dialed_next_case_is_one_tree_of_dial_hold_answer_connect_and_hold_and_its_complete_is_traced()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is DialerTracing.SourceName or "Microsoft.AspNetCore",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var admin = await factory.AdminAsync();
        var campaign = (await admin.PostAsync("/api/campaigns", new
        {
            name = "Traced progressive",
            dialMode = "progressive",
            callingWindow = new { start = "00:00", end = "23:59" },
        }, HttpStatusCode.Created)).Id();
        var agent = (await admin.PostAsync("/api/agents", new { name = "Tracy" }, HttpStatusCode.Created)).Id();
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{campaign}/agents/{agent}");
        var group = await admin.ImportAsync("traced leads", "name,phone\nTraced Lead," + ApiCalls.Phones(1)[0]);
        await admin.PostAsync($"/api/campaigns/{campaign}/cases", new { contactGroupId = group.GetProperty("groupId").GetInt64() });

        var nextCaseTrace = ActivityTraceId.CreateRandom();
        var offer = await SendTracedAsync(admin, nextCaseTrace, $"/api/agents/{agent}/next-case?campaignId={campaign}&waitSeconds=15", null);
        var caseId = offer.GetProperty("case").Id();
        var callId = offer.GetProperty("call").GetProperty("callId").GetInt64();
        var completeTrace = ActivityTraceId.CreateRandom();
        await SendTracedAsync(admin, completeTrace, $"/api/agents/{agent}/complete", new { outcome = "talked" });

        // Spans end as their work ends (the request after its answer): wait for the last ones to be reported.
        var tree = await SpansAsync(spans, nextCaseTrace, ["next_case", "dial", "answer", "connect", "release"], count: 2, "hold");
        var request = Single(tree, "Microsoft.AspNetCore.Hosting.HttpRequestIn");
        var nextCase = Single(tree, "next_case");
        var dial = Single(tree, "dial");
        var answer = Single(tree, "answer");
        var connect = Single(tree, "connect");
        var release = Single(tree, "release");
        var holds = tree.Where(s => s.OperationName == "hold").ToList();

        Assert.Equal(request.SpanId, nextCase.ParentSpanId);
        Assert.Equal(nextCase.SpanId, dial.ParentSpanId);
        Assert.Equal(nextCase.SpanId, answer.ParentSpanId);
        Assert.Equal(nextCase.SpanId, connect.ParentSpanId);
        Assert.Equal(connect.SpanId, release.ParentSpanId);
        Assert.Equal([dial.SpanId, connect.SpanId], holds.Select(h => h.ParentSpanId).OrderBy(id => id == dial.SpanId ? 0 : 1));
        Assert.All(holds, h => Assert.Equal("held", h.GetTagItem("dialer.outcome")));
        Assert.All([dial, answer, connect, release, .. holds], s => Assert.Equal(caseId, s.GetTagItem("dialer.case")));

        // In time order: the line holds the case, the number is dialed and answered, the answer waits, the agent gets it.
        Assert.True(holds.Single(h => h.ParentSpanId == dial.SpanId).StartTimeUtc <= answer.StartTimeUtc);
        Assert.True(dial.StartTimeUtc + dial.Duration <= answer.StartTimeUtc + TimeSpan.FromMilliseconds(1));
        Assert.True(answer.StartTimeUtc <= connect.StartTimeUtc);
        Assert.Equal("answered", dial.GetTagItem("dialer.outcome"));
        Assert.Equal(
            (campaign, agent, "progressive", "offered", caseId, callId),
            (nextCase.GetTagItem("dialer.campaign"), nextCase.GetTagItem("dialer.agent"), nextCase.GetTagItem("dialer.mode"),
                nextCase.GetTagItem("dialer.outcome"), nextCase.GetTagItem("dialer.case"), nextCase.GetTagItem("dialer.call")));
        Assert.Equal(agent, connect.GetTagItem("dialer.agent"));

        var completed = Single(await SpansAsync(spans, completeTrace, ["complete"], count: 1, "complete"), "complete");
        Assert.Equal((caseId, "talked"), (completed.GetTagItem("dialer.case"), completed.GetTagItem("dialer.outcome")));
    }

    private static async Task<JsonElement> SendTracedAsync(HttpClient client, ActivityTraceId trace, string path, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<List<Activity>> SpansAsync(ConcurrentQueue<Activity> spans, ActivityTraceId trace, string[] names, int count, string counted)
    {
        for (var i = 0; i < 200; i++)
        {
            var found = spans.Where(s => s.TraceId == trace).ToList();
            if (names.All(n => found.Any(s => s.OperationName == n)) && found.Count(s => s.OperationName == counted) >= count)
            {
                return found;
            }

            await Task.Delay(50);
        }

        var seen = spans.Where(s => s.TraceId == trace).Select(s => s.OperationName);
        throw new Xunit.Sdk.XunitException($"trace {trace} lacks some of {string.Join(", ", names)}; it has {string.Join(", ", seen)}");
    }

    private static Activity Single(List<Activity> spans, string name) => Assert.Single(spans, s => s.OperationName == name);
}
