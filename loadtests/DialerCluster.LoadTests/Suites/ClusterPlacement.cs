using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using DialerCluster.LoadTests.Reporting;

namespace DialerCluster.LoadTests.Suites;

/// <summary>
/// Where Orleans placed the grains of a cluster run, as <c>GET /api/cluster</c> reports it after the load: the nodes, their
/// status and activation counts. On a machine of 2 cores more nodes are not more capacity; an even spread and no failed
/// request are what a cluster run can show here.
/// </summary>
internal static class ClusterPlacement
{
    public static async Task<ReportNote> ReadAsync(HttpClient http, Uri node, string supervisorToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node, "api/cluster"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", supervisorToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new ReportNote("Cluster placement", [$"- GET /api/cluster answered {(int)response.StatusCode}"]);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var lines = new List<string> { "| node (silo) | status | HTTP | grain activations |", "|---|---|---|---:|" };
        foreach (var n in json.RootElement.GetProperty("nodes").EnumerateArray())
        {
            var activations = n.GetProperty("activations") is { ValueKind: JsonValueKind.Number } a ? a.GetInt32().ToString("N0", CultureInfo.InvariantCulture) : "?";
            lines.Add($"| {n.GetProperty("silo").GetString()} | {n.GetProperty("status").GetString()} | {n.GetProperty("httpAddress").GetString() ?? "-"} | {activations} |");
        }

        return new ReportNote("Cluster placement (after the load)", lines);
    }
}
