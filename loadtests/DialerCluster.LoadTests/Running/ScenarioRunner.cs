using System.Diagnostics;
using DialerCluster.LoadTests.Measurement;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Reporting;

namespace DialerCluster.LoadTests.Running;

/// <summary>
/// Runs one scenario's load phases in order and measures them. Latency origin: in the open model the arrival's due
/// time (so time spent waiting to be started — a stalled scheduler, a starved thread pool, a GC pause — is charged to
/// the request, the coordinated-omission correction); in the closed model the iteration's actual start, since a copy
/// only sends after its previous iteration ended. Steps after the first are timed from their own start.
/// </summary>
internal sealed class ScenarioRunner(Scenario scenario, RunSettings settings, HttpClient http)
{
    private readonly ScenarioStats _stats = new(scenario);
    private readonly List<StepContext> _copies = [];
    private readonly Func<long> _clock = settings.Clock;
    private readonly long _stepTimeoutTicks = ToTimestamp(scenario.StepTimeout);
    private readonly long _lateTicks = ToTimestamp(settings.LateStartThreshold);
    private long _warmUpEnd;
    private long _nextArrival;

    internal ScenarioStats Stats => _stats;

    public async Task<ScenarioReport> RunAsync(CancellationToken cancellationToken)
    {
        scenario.Validate();
        settings.Validate();
        await SetUpAsync(scenario.Init, cancellationToken);
        try
        {
            var runStart = _clock();
            _warmUpEnd = runStart + ToTimestamp(scenario.WarmUp);
            using var stopProgress = new CancellationTokenSource();
            var progress = settings.Progress is { } output
                ? ProgressLine.RunAsync(_stats, output, settings.InteractiveProgress, _clock, runStart, stopProgress.Token)
                : Task.CompletedTask;
            try
            {
                await RunPhasesAsync(runStart, cancellationToken);
                await DrainAsync(cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
            }
            finally
            {
                await stopProgress.CancelAsync();
                await progress;
            }

            return _stats.ToReport(settings.LateStartThreshold, settings.MaxInFlight);
        }
        finally
        {
            await SetUpAsync(scenario.Clean, CancellationToken.None);
        }
    }

    private async Task RunPhasesAsync(long runStart, CancellationToken cancellationToken)
    {
        // Phases keep to the nominal timeline: a phase that overruns makes the next one's arrivals late, and says so.
        var phaseStart = runStart;
        var previousPerSecond = 0.0;
        foreach (var load in scenario.Load)
        {
            var phaseEnd = phaseStart + ToTimestamp(load.During);
            switch (load)
            {
                case InjectLoad inject:
                    await RunOpenAsync(new OpenArrivalSchedule(inject.PerSecond, inject.PerSecond, inject.During), phaseStart, cancellationToken);
                    previousPerSecond = inject.PerSecond;
                    break;
                case RampingInjectLoad ramp:
                    await RunOpenAsync(new OpenArrivalSchedule(previousPerSecond, ramp.PerSecond, ramp.During), phaseStart, cancellationToken);
                    previousPerSecond = ramp.PerSecond;
                    break;
                case KeepConstantLoad keep:
                    await RunClosedAsync(keep.Copies, phaseEnd, cancellationToken);
                    previousPerSecond = 0;
                    break;
            }

            phaseStart = phaseEnd;
        }
    }

    private Task RunOpenAsync(OpenArrivalSchedule schedule, long phaseStart, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                DispatchArrivals(schedule, phaseStart, cancellationToken);
                done.TrySetResult();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"arrivals of {scenario.Name}",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
        return done.Task;
    }

    // A dedicated thread rather than a Task.Delay per arrival: pooled timers ride the thread pool that the requests
    // themselves keep busy, and each would add its own jitter. Each tick (~1 ms) starts every arrival that is due, so
    // arrivals closer together than a tick start in small batches, up to ~1 ms after their due time; that wait is in
    // their latency, as any other harness delay is.
    private void DispatchArrivals(OpenArrivalSchedule schedule, long phaseStart, CancellationToken cancellationToken)
    {
        var phaseEnd = phaseStart + ToTimestamp(schedule.During);
        long issued = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _clock();
            var due = schedule.DueBy(Stopwatch.GetElapsedTime(phaseStart, now));
            for (; issued < due; issued++)
            {
                var dueAt = phaseStart + ToTimestamp(schedule.DueAt(issued));
                var record = dueAt >= _warmUpEnd;
                if (_stats.InFlight >= settings.MaxInFlight)
                {
                    if (record)
                    {
                        _stats.CountDropped();
                    }

                    continue;
                }

                _stats.Started();
                var arrival = new Arrival(this, _nextArrival++, dueAt, record, cancellationToken);
                ThreadPool.UnsafeQueueUserWorkItem(static a => _ = a.Runner.RunArrivalAsync(a), arrival, preferLocal: false);
            }

            if (now >= phaseEnd)
            {
                return;
            }

            var next = issued < schedule.Total ? phaseStart + ToTimestamp(schedule.DueAt(issued)) : phaseEnd;
            var waitMs = (next - _clock()) * 1000 / Stopwatch.Frequency;
            Thread.Sleep((int)Math.Clamp(waitMs, 1, 10));
        }
    }

    private async Task RunArrivalAsync(Arrival arrival)
    {
        try
        {
            // Lateness is taken where the iteration really starts, after the hop to a pool thread, not at dispatch.
            var lag = _clock() - arrival.DueAt;
            if (arrival.Record)
            {
                _stats.RecordStartLag(Micros(lag), late: lag > _lateTicks);
            }

            var context = new StepContext(scenario.Name, arrival.Number, http);
            await RunIterationAsync(context, arrival.DueAt, arrival.Record, arrival.CancellationToken, originIsStart: false);
        }
        finally
        {
            _stats.Finished();
        }
    }

    private async Task RunClosedAsync(int copies, long phaseEnd, CancellationToken cancellationToken)
    {
        while (_copies.Count < copies)
        {
            _copies.Add(new StepContext(scenario.Name, _copies.Count, http));
        }

        var loops = new Task[copies];
        for (var i = 0; i < copies; i++)
        {
            var copy = _copies[i];
            loops[i] = Task.Run(() => LoopAsync(copy, phaseEnd, cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(loops);
    }

    private async Task LoopAsync(StepContext copy, long phaseEnd, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var start = _clock();
            if (start >= phaseEnd)
            {
                return;
            }

            _stats.Started();
            try
            {
                await RunIterationAsync(copy, start, start >= _warmUpEnd, cancellationToken, originIsStart: true);
            }
            finally
            {
                _stats.Finished();
            }

            copy.Iteration++;
        }
    }

    /// <summary>Runs the steps once; <paramref name="origin"/> is where the first step's latency is measured from.</summary>
    /// <param name="originIsStart">
    /// Closed model: the origin is the actual start, so the first step starts there rather than at a second
    /// clock read that a busy machine can put milliseconds later. Open model: the origin is the scheduled time.
    /// </param>
    internal async Task RunIterationAsync(StepContext context, long origin, bool record, CancellationToken cancellationToken, bool originIsStart)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var end = origin;
            var iteration = StepResult.Ok();
            var anyTimeout = false;
            long bytes = 0;
            for (var i = 0; i < scenario.Steps.Count; i++)
            {
                var start = i == 0 && originIsStart ? origin : _clock();
                var stepOrigin = i == 0 ? origin : start;
                if (i > 0 && !timeout.TryReset())
                {
                    // The previous step's timer fired just as it finished: start this step with a fresh one.
                    timeout.Dispose();
                    timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }

                timeout.CancelAfter(scenario.StepTimeout);
                context.CancellationToken = timeout.Token;
                Task<StepResult>? running = null;
                StepResult result;
                var timedOut = false;
                try
                {
                    running = scenario.Steps[i].Run(context);
                    result = await running.WaitAsync(timeout.Token);
                    end = _clock();
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    // Charged at exactly the timeout after the step's start, whenever this continuation got to run.
                    timedOut = true;
                    end = start + _stepTimeoutTicks;
                    result = StepResult.Fail($"timeout after {DurationText.Format(scenario.StepTimeout)}");
                    Observe(running);
                }
                catch (Exception e)
                {
                    end = _clock();
                    result = StepResult.Fail($"{e.GetType().Name}: {e.Message}");
                }

                if (result.IsSkipped)
                {
                    continue;
                }

                if (record)
                {
                    _stats.Steps[i].Record(result, Micros(end - stepOrigin), timedOut);
                }

                anyTimeout |= timedOut;
                bytes += result.SizeBytes;
                if (!result.IsOk)
                {
                    iteration = StepResult.Fail($"{scenario.Steps[i].Name}: {result.Error}");
                    break;
                }
            }

            if (record)
            {
                _stats.Total.Record(iteration with { SizeBytes = bytes }, Micros(end - origin), anyTimeout);
            }
        }
        finally
        {
            timeout.Dispose();
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        // Every step ends by its timeout, so whatever is still in flight is done within steps × timeout.
        var deadline = _clock() + (_stepTimeoutTicks * scenario.Steps.Count) + Stopwatch.Frequency;
        while (_stats.InFlight > 0 && _clock() < deadline)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    private async Task SetUpAsync(Func<ScenarioSetupContext, Task>? setUp, CancellationToken cancellationToken)
    {
        if (setUp is null)
        {
            return;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(settings.SetupTimeout);
        await setUp(new ScenarioSetupContext(http, bounded.Token)).WaitAsync(bounded.Token);
    }

    private static void Observe(Task? abandoned) =>
        abandoned?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    internal static long ToTimestamp(TimeSpan value) => (long)(value.TotalSeconds * Stopwatch.Frequency);

    internal static long Micros(long timestampTicks) => (long)(timestampTicks * (1_000_000.0 / Stopwatch.Frequency));

    private readonly record struct Arrival(ScenarioRunner Runner, long Number, long DueAt, bool Record, CancellationToken CancellationToken);
}
