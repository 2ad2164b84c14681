using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DialerCluster.Runtime;

/// <summary>
/// The in-process virtual-actor runtime: hands out grain references, activates grains on their first
/// call, runs their turns, collects idle activations and shuts down gracefully.
/// </summary>
public sealed class GrainRuntime : IGrainFactory, IAsyncDisposable
{
    private ITimer? _collector;
    private int _stopping;

    public GrainRuntime(
        IServiceProvider services,
        IOptions<GrainRuntimeOptions> options,
        ILogger<GrainRuntime>? logger = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
    {
        Services = services;
        Options = options.Value;
        Logger = logger ?? NullLogger<GrainRuntime>.Instance;
        TimeProvider = timeProvider ?? TimeProvider.System;
        Catalog = new ActivationCatalog(this);
        Meter = meterFactory?.Create(RuntimeInstruments.MeterName) ?? new Meter(RuntimeInstruments.MeterName);
        Metrics = new RuntimeMetrics(Meter, Catalog);
    }

    public GrainRuntimeOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Live activations.</summary>
    public long ActivationCount => Catalog.ActiveCount;

    internal IServiceProvider Services { get; }

    internal Meter Meter { get; }

    internal ILogger Logger { get; }

    internal ActivationCatalog Catalog { get; }

    internal RuntimeMetrics Metrics { get; }

    internal bool IsStopping => Volatile.Read(ref _stopping) != 0;

    public GrainRef<TGrain> GetGrain<TGrain>(string key) where TGrain : Grain
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return new GrainRef<TGrain>(this, new GrainId(GrainTypeInfo.For<TGrain>().Name, key), Options.CallTimeout);
    }

    /// <summary>Starts idle collection.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        _collector ??= TimeProvider.CreateTimer(static s => ((GrainRuntime)s!).CollectIdle(), this, Options.CollectionQuantum, Options.CollectionQuantum);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Graceful shutdown: no new activations, every live one deactivates behind the calls it already
    /// accepted (running turns finish, changed state is written), bounded by the shutdown timeout.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }

        _collector?.Dispose();
        var gone = new List<Task>();
        foreach (var activation in Catalog.All)
        {
            activation.RequestDeactivation(DeactivationReason.Shutdown);
            gone.Add(activation.Deactivated);
        }

        try
        {
            await Task.WhenAll(gone).WaitAsync(Options.ShutdownTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            Logger.LogWarning("Shutdown timed out after {Timeout} with {Count} activations still live", Options.ShutdownTimeout, Catalog.ActiveCount);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Meter.Dispose();
    }

    /// <summary>Deactivates activations idle longer than the collection age; returns how many it started.</summary>
    internal int CollectIdle()
    {
        var now = Environment.TickCount64;
        var collected = 0;
        foreach (var activation in Catalog.All)
        {
            if (activation.TryCollectIfIdle(now, Options.CollectionAge))
            {
                collected++;
            }
        }

        return collected;
    }

    internal ValueTask<TResult> InvokeAsync<TGrain, TArg, TResult>(
        GrainId id,
        TArg arg,
        Func<TGrain, TArg, CancellationToken, ValueTask<TResult>> call,
        CallKind kind,
        TimeSpan timeout,
        CancellationToken cancellationToken)
        where TGrain : Grain
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        var activation = Catalog.GetOrCreate(id, GrainTypeInfo.For<TGrain>());
        return activation.TryStartInline(kind)
            ? RunInline(activation, arg, call, kind, timeout, cancellationToken)
            : InvokeQueuedAsync(activation, arg, call, kind, timeout, cancellationToken);
    }

    /// <summary>The uncontended path: the turn runs on the caller's thread and, if it completes synchronously, allocates nothing.</summary>
    private ValueTask<TResult> RunInline<TGrain, TArg, TResult>(
        Activation activation,
        TArg arg,
        Func<TGrain, TArg, CancellationToken, ValueTask<TResult>> call,
        CallKind kind,
        TimeSpan timeout,
        CancellationToken cancellationToken)
        where TGrain : Grain
    {
        var start = Metrics.Start();
        ValueTask<TResult> pending;
        try
        {
            pending = call((TGrain)activation.Grain!, arg, cancellationToken);
        }
        catch (Exception ex)
        {
            activation.OnCallFailed(ex);
            activation.EndTurn(kind);
            Metrics.RecordCall(activation.TypeName, start, CallOutcome.Error);
            return ValueTask.FromException<TResult>(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            activation.EndTurn(kind);
            Metrics.RecordCall(activation.TypeName, start, CallOutcome.Ok);
            return new ValueTask<TResult>(result);
        }

        var turn = FinishInlineTurnAsync(activation, pending, kind, start);
        return WaitWithDeadline(turn, activation.Id, Stopwatch.GetTimestamp() + ToTimestampTicks(timeout), timeout, cancellationToken);
    }

    private async Task<TResult> FinishInlineTurnAsync<TResult>(Activation activation, ValueTask<TResult> pending, CallKind kind, long start)
    {
        try
        {
            var result = await pending;
            Metrics.RecordCall(activation.TypeName, start, CallOutcome.Ok);
            return result;
        }
        catch (Exception ex)
        {
            activation.OnCallFailed(ex);
            Metrics.RecordCall(activation.TypeName, start, CallOutcome.Error);
            throw;
        }
        finally
        {
            activation.EndTurn(kind);
        }
    }

    private async ValueTask<TResult> InvokeQueuedAsync<TGrain, TArg, TResult>(
        Activation activation,
        TArg arg,
        Func<TGrain, TArg, CancellationToken, ValueTask<TResult>> call,
        CallKind kind,
        TimeSpan timeout,
        CancellationToken cancellationToken)
        where TGrain : Grain
    {
        var deadline = Stopwatch.GetTimestamp() + ToTimestampTicks(timeout);
        while (true)
        {
            var item = new CallWorkItem<TGrain, TArg, TResult>(arg, call, kind, deadline, cancellationToken);
            switch (activation.TryEnqueue(item))
            {
                case Admission.Accepted:
                    return await WaitWithDeadline(item.Completion, activation.Id, deadline, timeout, cancellationToken);
                case Admission.Stopped:
                    throw new GrainRuntimeStoppedException(activation.Id);
            }

            // The activation is on its way out: wait until it has left (its state written), then the
            // next lookup finds or creates its successor, so two never live at once.
            await WaitWithDeadline(activation.Deactivated.ContinueWith(static _ => true, TaskScheduler.Default), activation.Id, deadline, timeout, cancellationToken);
            activation = Catalog.GetOrCreate(activation.Id, GrainTypeInfo.For<TGrain>());
            if (activation.TryStartInline(kind))
            {
                return await RunInline(activation, arg, call, kind, timeout, cancellationToken);
            }
        }
    }

    private static async ValueTask<T> WaitWithDeadline<T>(Task<T> task, GrainId id, long deadline, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
        if (task.IsCompleted)
        {
            return await task;
        }

        if (remaining <= TimeSpan.Zero)
        {
            throw new GrainCallTimeoutException(id, timeout);
        }

        try
        {
            return await task.WaitAsync(remaining, cancellationToken);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new GrainCallTimeoutException(id, timeout);
        }
    }

    private static long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    internal void Tell<TGrain, TArg>(GrainRef<TGrain> grain, TArg arg, Func<TGrain, TArg, CancellationToken, ValueTask> call)
        where TGrain : Grain
    {
        _ = TellAsync(grain, arg, call);
    }

    private async Task TellAsync<TGrain, TArg>(GrainRef<TGrain> grain, TArg arg, Func<TGrain, TArg, CancellationToken, ValueTask> call)
        where TGrain : Grain
    {
        try
        {
            await grain.CallAsync(arg, call);
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "One-way call to {GrainId} failed", grain.Id);
        }
    }
}
