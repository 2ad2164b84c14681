using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Host.Auth.Sessions;

/// <summary>
/// Keeps this node's <see cref="SessionRegistry"/> in step with the others: on start it loads the sessions ended
/// lately (before the node serves), then every <see cref="AuthOptions.SessionPollInterval"/> it reads the changes
/// logged since (logouts, disabled, deleted or changed users) and applies them. So a session ended on any node is
/// refused here within one poll interval plus a query. Once an hour it prunes what no ticket can still need.
/// </summary>
internal sealed class SessionFollower(
    IAuthSessionStore sessions,
    SessionRegistry registry,
    AuthOptions options,
    [FromKeyedServices(DialerClock.Key)] TimeProvider time,
    ILogger<SessionFollower> logger) : BackgroundService
{
    /// <summary>Session rows are kept this long after they began (a refresh needs its row).</summary>
    public static readonly TimeSpan SessionRetention = TimeSpan.FromDays(30);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private long _cursor;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Hosted services start before the server listens: no request sees a node that forgot a logout.
        _cursor = await sessions.LastChangeAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var sessionId in await sessions.RevokedSinceAsync(now - registry.EndedRetention, cancellationToken))
        {
            registry.Ended(sessionId, now);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPrune = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Real time, not the host's clock: a test's hand-moved clock must not stop the follower.
                await Task.Delay(options.SessionPollInterval, stoppingToken);
                await FollowAsync(stoppingToken);
                var now = time.GetUtcNow();
                if (DateTimeOffset.UtcNow >= nextPrune)
                {
                    nextPrune = DateTimeOffset.UtcNow + PruneEvery;
                    registry.ForgetEndedBefore(now);
                    await sessions.PruneAsync(now - SessionRetention, now - registry.EndedRetention, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be away for a moment; the cursor stays, so nothing is skipped when it is back.
                logger.LogWarning(ex, "Sessions: could not read the changes after {Cursor}; trying again", _cursor);
            }
        }
    }

    /// <summary>Applies every change logged since the last call; returns how many.</summary>
    internal async Task<int> FollowAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        IReadOnlyList<AuthChange> changes;
        do
        {
            changes = await sessions.ChangesAfterAsync(_cursor, cancellationToken);
            foreach (var change in changes)
            {
                if (change.SessionId is { } sessionId)
                {
                    registry.Ended(sessionId, change.At);
                }
                else
                {
                    registry.UserChanged(change.UserId);
                }

                _cursor = change.Id;
                applied++;
            }
        }
        while (changes.Count > 0);

        return applied;
    }
}
