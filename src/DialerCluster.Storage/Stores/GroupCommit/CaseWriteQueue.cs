using System.Threading.Channels;

namespace DialerCluster.Storage;

/// <summary>
/// Group commit for holds and releases. Next case must not answer before the hold is durable, and a
/// commit costs an fsync (milliseconds), so one commit per hold caps an engine at a few hundred holds per
/// second. Callers queue here instead; a single writer takes everything queued (up to <see cref="MaxBatch"/>)
/// and commits it in one transaction, then completes each caller. Under load the batch grows by itself;
/// alone, a write waits for nothing but its own commit. Writes are applied in queue order, so a release
/// followed by the same agent's next hold works within one batch.
/// </summary>
internal sealed class CaseWriteQueue : IAsyncDisposable
{
    public const int MaxBatch = 512;

    private readonly Channel<CaseWrite> _channel = Channel.CreateUnbounded<CaseWrite>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly ICaseWriteCommitter _committer;
    private readonly Task _writer;

    public CaseWriteQueue(ICaseWriteCommitter committer)
    {
        _committer = committer;
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task<bool> EnqueueAsync(CaseWrite write)
    {
        // Once queued a write is committed even if its caller stops waiting: a hold nobody hears about is
        // found again by the hold timeout, while a half-cancelled batch would be far harder to reason about.
        return _channel.Writer.TryWrite(write)
            ? write.Task
            : Task.FromException<bool>(new ObjectDisposedException(nameof(CaseWriteQueue), "The case store is shutting down; the write was not made."));
    }

    /// <summary>Stops taking writes; whatever is queued is still committed (graceful shutdown).</summary>
    public void Complete() => _channel.Writer.TryComplete();

    public async ValueTask DisposeAsync()
    {
        Complete();
        await _writer.ConfigureAwait(false);
        await _committer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<CaseWrite>(MaxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            try
            {
                await _committer.CommitAsync(batch, CancellationToken.None).ConfigureAwait(false);
                foreach (var write in batch)
                {
                    write.TrySetResult(write.Applied);
                }
            }
            catch (Exception ex)
            {
                // The batch failed, or its commit could not be confirmed: every caller gets the error. A hold that
                // did commit unconfirmed is given back by the hold timeout like any other.
                foreach (var write in batch)
                {
                    write.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }
}
