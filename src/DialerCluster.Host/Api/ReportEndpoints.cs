using System.Text.Json.Nodes;
using DialerCluster.Dialing.Forecasting;
using DialerCluster.Dialing.Grains;
using DialerCluster.Host.Reports;
using Microsoft.OpenApi;

namespace DialerCluster.Host.Api;

internal static class ReportEndpoints
{
    public const int DefaultWeeks = 8;

    public static RouteGroupBuilder MapReports(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/{report}", ReadAsync).WithName("ReadReport")
            .WithSummary("A report as the page shows it: a table, a chart of it and how it was counted, as of now (or asOf: then nothing later counts).")
            .Produces<ReportTable>()
            .AddOpenApiOperationTransformer((operation, _, _) => Enumerate(operation, ("report", ReportKind.All)));
        reports.MapGet("/{report}/export", ExportAsync).WithName("ExportReport")
            .WithSummary("The report's table as a .csv or .xlsx file, streamed; pass the page's asOf to get exactly the numbers it showed.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .AddOpenApiOperationTransformer((operation, _, _) => Enumerate(operation, ("report", ReportKind.All), ("format", ReportKind.Formats)));
        return reports;
    }

    private static async Task<IResult> ReadAsync(
        string report,
        string? from,
        string? to,
        string? campaignId,
        string? agentId,
        string? leadSource,
        string? weeks,
        string? asOf,
        ReportBuilder builder,
        [FromKeyedServices(DialerClock.Key)] TimeProvider time,
        CancellationToken cancellationToken)
    {
        var request = Read(report, from, to, campaignId, agentId, leadSource, weeks, time);
        return Results.Ok(await builder.BuildAsync(request.Report, request.Filter, request.Weeks, QueryValues.Moment(asOf, "asOf"), cancellationToken));
    }

    private static async Task ExportAsync(
        string report,
        string? format,
        string? from,
        string? to,
        string? campaignId,
        string? agentId,
        string? leadSource,
        string? weeks,
        string? asOf,
        ReportBuilder builder,
        [FromKeyedServices(DialerClock.Key)] TimeProvider time,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var request = Read(report, from, to, campaignId, agentId, leadSource, weeks, time);
        if (format is not ("csv" or "xlsx"))
        {
            throw ApiProblems.Invalid("format", $"'{format}' is not one of {string.Join(", ", ReportKind.Formats)}");
        }

        var table = await builder.BuildAsync(request.Report, request.Filter, request.Weeks, QueryValues.Moment(asOf, "asOf"), cancellationToken);
        http.Response.ContentType = ReportExport.ContentType(format);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{ReportExport.FileName(table, format)}\"";
        if (format == "csv")
        {
            await ReportExport.WriteCsvAsync(table, http.Response.Body, cancellationToken);
        }
        else
        {
            await ReportExport.WriteXlsxAsync(table, http.Response.Body, cancellationToken);
        }
    }

    private static (string Report, Dialing.Reports.ReportFilter Filter, int Weeks) Read(
        string report, string? from, string? to, string? campaignId, string? agentId, string? leadSource, string? weeks, TimeProvider time)
    {
        if (!ReportKind.All.Contains(report))
        {
            throw new Dialing.Grains.RequestRefusedException(
                Dialing.Grains.Refusal.NotFound, "report", $"'{report}' is not one of {string.Join(", ", ReportKind.All)}");
        }

        var filter = QueryValues.Filter(from, to, campaignId, agentId, leadSource, time.GetUtcNow());
        return (report, filter, QueryValues.Int(weeks, "weeks", 1, SalesForecast.MaxWeeks) ?? DefaultWeeks);
    }

    /// <summary>Lists a string parameter's allowed values in the OpenAPI document.</summary>
    private static Task Enumerate(OpenApiOperation operation, params (string Name, IReadOnlyList<string> Values)[] parameters)
    {
        foreach (var parameter in operation.Parameters ?? [])
        {
            foreach (var (name, values) in parameters)
            {
                if (parameter.Name == name && parameter.Schema is OpenApiSchema schema)
                {
                    schema.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
                }
            }
        }

        return Task.CompletedTask;
    }
}
