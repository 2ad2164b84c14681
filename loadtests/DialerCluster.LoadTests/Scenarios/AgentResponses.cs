using System.Text.Json;
using System.Text.RegularExpressions;
using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Scenarios;

/// <summary>Turns a dialer API response into a step result; a refusal carries the problem's detail with ids masked, so alike errors add up.</summary>
internal static partial class AgentResponses
{
    public static async Task<StepResult> ResultOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return StepResult.Ok(status, await HttpStep.DrainAsync(response, cancellationToken));
        }

        return await FailureAsync(response, cancellationToken);
    }

    public static async Task<StepResult> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return StepResult.Fail($"HTTP {status}: {Detail(text)}", status, text.Length);
    }

    internal static string Detail(string problem)
    {
        string? detail = null;
        try
        {
            using var json = JsonDocument.Parse(problem);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                detail = json.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
                    : json.RootElement.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                    : null;
            }
        }
        catch (JsonException)
        {
        }

        detail ??= problem.Length == 0 ? "(empty body)" : problem;
        detail = Digits().Replace(detail, "N");
        return detail.Length <= 160 ? detail : detail[..160] + "…";
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
