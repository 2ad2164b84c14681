using System.Text.Json;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Host.Api;
using DialerCluster.Host.Auth.Sessions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace DialerCluster.Host.Live;

/// <summary>
/// GET /api/monitor/stream: server-sent events for the supervisor wall. First a <c>snapshot</c> event (the whole
/// wall), then <c>agent</c>, <c>campaign</c> and <c>import</c> events as they happen, <c>agent-gone</c> and
/// <c>campaign-gone</c> (<c>{"id": …}</c>) when a silent node's rows leave the wall, and a <c>heartbeat</c>
/// every <see cref="HeartbeatInterval"/> (Live:HeartbeatSeconds) so proxies keep the connection and the page can tell a dead stream.
/// </summary>
public static class MonitorStreamEndpoint
{
    /// <summary>Default heartbeat; configurable as Live:HeartbeatSeconds.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);

    /// <summary>The live board, cluster-wide (<see cref="LiveWallServiceCollectionExtensions.AddLiveWall"/>), behind the stream.</summary>
    public static IServiceCollection AddLiveStream(this IServiceCollection services) => services.AddLiveWall();

    public static IEndpointRouteBuilder MapLiveStream(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/monitor/stream", StreamAsync).WithTags("Monitor").ExcludeFromDescription();
        return app;
    }

    private static async Task StreamAsync(HttpContext context, LiveBoard board, IOptions<JsonOptions> json)
    {
        var options = json.Value.SerializerOptions;
        var seconds = context.RequestServices.GetRequiredService<IConfiguration>().GetValue("Live:HeartbeatSeconds", HeartbeatInterval.TotalSeconds);
        var heartbeat = seconds is > 0 and <= 3600 ? TimeSpan.FromSeconds(seconds) : HeartbeatInterval;
        var cancellationToken = context.RequestAborted;
        var sessions = context.RequestServices.GetRequiredService<SessionRegistry>();
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // Subscribe before reading the snapshot: a change in between is then sent twice, never lost.
        using var subscription = board.Subscribe();
        try
        {
            await response.WriteAsync("retry: 2000\n\n", cancellationToken);
            await WriteEventAsync(response, "snapshot", MonitorEndpoints.Shape(board.Snapshot()), options, cancellationToken);
            var reader = subscription.Events;
            while (!cancellationToken.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                beat.CancelAfter(heartbeat);
                bool more;
                var quiet = false;
                try
                {
                    more = await reader.WaitToReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    (more, quiet) = (true, true);
                }

                // A session that ended meanwhile (logout, user disabled) gets nothing more: checked in memory before each write.
                if (!more || !await sessions.IsCurrentAsync(context.User, cancellationToken))
                {
                    return;
                }

                if (quiet)
                {
                    await WriteEventAsync(response, "heartbeat", new { at = DateTimeOffset.UtcNow }, options, cancellationToken);
                    continue;
                }

                while (reader.TryRead(out var change))
                {
                    await WriteChangeAsync(response, change, options, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The browser went away.
        }
    }

    // Each change in the same JSON shape GET /api/monitor uses for that item, so the wall reads one format.
    private static Task WriteChangeAsync(HttpResponse response, LiveEvent change, JsonSerializerOptions options, CancellationToken cancellationToken) => change switch
    {
        AgentChanged a => WriteEventAsync(response, "agent", MonitorEndpoints.Shape(new MonitorSnapshot([a.Agent], [], [], a.At)).Agents[0], options, cancellationToken),
        CampaignChanged c => WriteEventAsync(response, "campaign", MonitorEndpoints.Shape(new MonitorSnapshot([], [c.Campaign], [], c.At)).Campaigns[0], options, cancellationToken),
        ImportChanged i => WriteEventAsync(response, "import", MonitorEndpoints.Shape(new MonitorSnapshot([], [], [i.Import], i.At)).Imports[0], options, cancellationToken),
        AgentGone a => WriteEventAsync(response, "agent-gone", new { id = a.AgentId }, options, cancellationToken),
        CampaignGone c => WriteEventAsync(response, "campaign-gone", new { id = c.CampaignId }, options, cancellationToken),
        _ => Task.CompletedTask,
    };

    private static async Task WriteEventAsync<T>(HttpResponse response, string name, T data, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        // JSON never contains a raw newline, so one data line per event is enough.
        var payload = JsonSerializer.Serialize(data, options);
        await response.WriteAsync($"event: {name}\ndata: {payload}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
