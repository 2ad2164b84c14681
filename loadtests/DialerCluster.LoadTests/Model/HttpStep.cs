using System.Buffers;

namespace DialerCluster.LoadTests.Model;

/// <summary>Ready-made HTTP steps: any 2xx is ok; the body is read to the end so the bytes count and the connection is reused.</summary>
internal static class HttpStep
{
    public static ScenarioStep Get(string name, Uri url) =>
        Send(name, _ => new HttpRequestMessage(HttpMethod.Get, url));

    public static ScenarioStep Send(string name, Func<StepContext, HttpRequestMessage> request) =>
        new(name, async context =>
        {
            using var message = request(context);
            using var response = await context.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
            var size = await DrainAsync(response, context.CancellationToken);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? StepResult.Ok(status, size) : StepResult.Fail($"HTTP {status}", status, size);
        });

    public static async Task<long> DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
