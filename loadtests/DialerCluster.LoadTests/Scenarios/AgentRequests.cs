using System.Net.Http.Headers;
using System.Text;

namespace DialerCluster.LoadTests.Scenarios;

/// <summary>The requests an agent's desk sends, each with the bearer token of whoever acts (the agent or a supervisor).</summary>
internal static class AgentRequests
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json") { CharSet = "utf-8" };

    public static HttpRequestMessage Post(Uri url, string token, byte[]? json = null) => With(new HttpRequestMessage(HttpMethod.Post, url), token, json);

    public static HttpRequestMessage Put(Uri url, string token, byte[] json) => With(new HttpRequestMessage(HttpMethod.Put, url), token, json);

    /// <summary>A case save based on <paramref name="version"/>, sent back as If-Match (the API refuses a save without one).</summary>
    public static HttpRequestMessage Patch(Uri url, string token, byte[] json, long version)
    {
        var request = With(new HttpRequestMessage(HttpMethod.Patch, url), token, json);
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\""));
        return request;
    }

    public static HttpRequestMessage Get(Uri url, string token) => With(new HttpRequestMessage(HttpMethod.Get, url), token, null);

    /// <summary>A JSON body encoded once and reused by every request that sends it.</summary>
    public static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>{"outcome":"no_answer"} and the like.</summary>
    public static byte[] Outcome(string outcome) => Json($$"""{"outcome":"{{outcome}}"}""");

    private static HttpRequestMessage With(HttpRequestMessage request, string token, byte[]? json)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            var content = new ByteArrayContent(json);
            content.Headers.ContentType = JsonType;
            request.Content = content;
        }

        return request;
    }
}
