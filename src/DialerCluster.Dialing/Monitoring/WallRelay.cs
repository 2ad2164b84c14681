using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// Keeps this node's <see cref="LiveBoard"/> in step with the other nodes' through the wall grain: every
/// <see cref="WallTiming.Flush"/> it sends the board's pending changes (or, once a <see cref="WallTiming.Heartbeat"/>,
/// an empty batch), and it hears the other nodes' batches as the wall grain's <see cref="IWallObserver"/>.
/// </summary>
/// <remarks>
/// Observer references are not durable and the wall grain keeps its picture in memory, so the relay joins again,
/// with its whole part of the board, whenever the wall does not know it (the grain moved after its node died, or it
/// dropped this node as silent) or a call fails; the join's answer is the current picture. Calls wait at most
/// <see cref="WallTiming.CallTimeout"/>, one at a time: a slow wall delays the next batch, which meanwhile keeps
/// only the latest row per thing, and never a grain. Other nodes' rows age out here as on the wall grain.
/// </remarks>
internal sealed partial class WallRelay(
    LiveBoard board,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    AnnouncedHttpAddress httpAddress,
    WallTiming timing,
    TimeProvider time,
    ILogger<WallRelay> logger) : BackgroundService, IWallObserver
{
    public Task ReceiveAsync(WallBatch batch)
    {
        board.Merge(batch, time.GetUtcNow());
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var node = silo.SiloAddress.ToParsableString();
        var wall = grains.GetGrain<IWallGrain>(IWallGrain.Key);
        var observer = grains.CreateObjectReference<IWallObserver>(this);
        var joined = false;
        string? announced = null;
        var lastSent = DateTimeOffset.MinValue;
        var failing = false;
        using var ticks = new PeriodicTimer(timing.Flush, time);
        try
        {
            while (await ticks.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                try
                {
                    if (!joined || announced != httpAddress.Value)
                    {
                        announced = httpAddress.Value;
                        var others = await wall.JoinAsync(board.TakeAll(node), announced, observer).WaitAsync(timing.CallTimeout, stoppingToken);
                        foreach (var batch in others)
                        {
                            board.Merge(batch, now);
                        }

                        (joined, lastSent) = (true, now);
                    }
                    else if (NextBatch(node, now - lastSent) is { } batch)
                    {
                        joined = await wall.PublishAsync(batch).WaitAsync(timing.CallTimeout, stoppingToken);
                        lastSent = now;
                    }

                    if (failing)
                    {
                        failing = false;
                        LogReconnected();
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // What the failed call carried is sent again in the next join's full batch.
                    joined = false;
                    if (!failing)
                    {
                        failing = true;
                        LogWallUnreachable(ex);
                    }
                }

                board.Expire(now - timing.NodeTimeout, now);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping.
        }
        finally
        {
            grains.DeleteObjectReference<IWallObserver>(observer);
        }
    }

    /// <summary>The pending changes; when there are none, an empty batch once a heartbeat has passed since the last one sent.</summary>
    private WallBatch? NextBatch(string node, TimeSpan sinceLastSent) =>
        board.TakeChanges(node) ?? (sinceLastSent >= timing.Heartbeat ? WallBatch.Heartbeat(node) : null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live wall: the wall grain cannot be reached; retrying every flush, other nodes' rows age out meanwhile")]
    private partial void LogWallUnreachable(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Live wall: the wall grain answers again")]
    private partial void LogReconnected();
}
