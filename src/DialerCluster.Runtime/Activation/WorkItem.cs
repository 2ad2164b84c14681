using System.Diagnostics;

namespace DialerCluster.Runtime;

/// <summary>One turn waiting in an activation's mailbox.</summary>
internal abstract class WorkItem(CallKind kind)
{
    public CallKind Kind { get; } = kind;

    /// <summary>Whether finishing this turn resets the idle clock (timers choose; calls always do).</summary>
    public virtual bool CountsAsActivity => true;

    /// <summary>Runs the turn. Never throws: failures complete the item's own waiter.</summary>
    public abstract ValueTask RunAsync(Activation activation);

    /// <summary>The activation failed before this item could run.</summary>
    public abstract void Fail(Exception exception);
}

/// <summary>A queued grain call and the caller waiting for it.</summary>
internal sealed class CallWorkItem<TGrain, TArg, TResult>(
    TArg arg,
    Func<TGrain, TArg, CancellationToken, ValueTask<TResult>> call,
    CallKind kind,
    long deadlineTimestamp,
    CancellationToken cancellationToken) : WorkItem(kind)
    where TGrain : Grain
{
    // Continuations run asynchronously so that completing a caller never runs its code inside this turn.
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _enqueuedAt = Stopwatch.GetTimestamp();

    public Task<TResult> Completion => _completion.Task;

    public override async ValueTask RunAsync(Activation activation)
    {
        // A call whose caller gave up (deadline passed or token cancelled) while it waited never runs.
        if (cancellationToken.IsCancellationRequested || Stopwatch.GetTimestamp() > deadlineTimestamp)
        {
            _completion.TrySetCanceled(cancellationToken.IsCancellationRequested ? cancellationToken : CancellationToken.None);
            activation.Runtime.Metrics.RecordCall(activation.TypeName, _enqueuedAt, CallOutcome.Canceled);
            return;
        }

        try
        {
            var result = await call((TGrain)activation.Grain!, arg, cancellationToken);
            _completion.TrySetResult(result);
            activation.Runtime.Metrics.RecordCall(activation.TypeName, _enqueuedAt, CallOutcome.Ok);
        }
        catch (Exception ex)
        {
            activation.OnCallFailed(ex);
            _completion.TrySetException(ex);
            activation.Runtime.Metrics.RecordCall(activation.TypeName, _enqueuedAt, CallOutcome.Error);
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
