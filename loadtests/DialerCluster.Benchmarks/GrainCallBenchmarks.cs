using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using DialerCluster.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Benchmarks;

/// <summary>
/// A grain call round trip into an active grain that increments a counter, against the same work
/// behind a SemaphoreSlim lock (what a hand-written thread-safe service would do). Each benchmark
/// method performs <see cref="Calls"/> calls, so BenchmarkDotNet reports time per call.
/// </summary>
[MemoryDiagnoser]
public class GrainCallBenchmarks
{
    public const int Calls = 200_000;
    public const int Callers = 64;

    private ServiceProvider _services = null!;
    private GrainRef<CounterGrain> _grain;
    private GrainRef<CounterGrain>[] _grains = null!;
    private LockedCounter _locked = null!;
    private LockedCounter[] _lockedCounters = null!;
    private MeterListener? _listener;

    [Params(false, true)]
    public bool MetricsOn { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGrainRuntime();
        _services = services.BuildServiceProvider();
        var runtime = _services.GetRequiredService<GrainRuntime>();
        if (MetricsOn)
        {
            // What the host's /metrics exporter costs is its own; this listener keeps the runtime's
            // recording path (timestamps, tags, counter and histogram) switched on as in production.
            _listener = new MeterListener { InstrumentPublished = (i, l) => { if (i.Meter.Name == RuntimeInstruments.MeterName) { l.EnableMeasurementEvents(i); } } };
            long sink = 0;
            _listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref sink, v));
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref sink));
            _listener.Start();
        }

        _grain = runtime.GetGrain<CounterGrain>("hot");
        _grains = Enumerable.Range(0, Callers).Select(i => runtime.GetGrain<CounterGrain>($"c{i}")).ToArray();
        _locked = new LockedCounter();
        _lockedCounters = Enumerable.Range(0, Callers).Select(_ => new LockedCounter()).ToArray();
        foreach (var grain in _grains.Append(_grain))
        {
            grain.CallAsync(static (g, _) => g.Increment()).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener?.Dispose();
        _services.GetRequiredService<GrainRuntime>().DisposeAsync().AsTask().GetAwaiter().GetResult();
        _services.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task GrainCall_SingleCaller()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _grain.CallAsync(static (g, _) => g.Increment());
        }
    }

    [Benchmark(OperationsPerInvoke = Calls, Baseline = true)]
    public async Task Locked_SingleCaller()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _locked.IncrementAsync();
        }
    }

    /// <summary>Many callers, each with its own grain: the common shape (one agent, one grain).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public Task GrainCall_ManyCallers() => Parallel.ForEachAsync(_grains, Options, static async (grain, _) =>
    {
        for (var i = 0; i < Calls / Callers; i++)
        {
            await grain.CallAsync(static (g, _) => g.Increment());
        }
    });

    [Benchmark(OperationsPerInvoke = Calls)]
    public Task Locked_ManyCallers() => Parallel.ForEachAsync(_lockedCounters, Options, static async (counter, _) =>
    {
        for (var i = 0; i < Calls / Callers; i++)
        {
            await counter.IncrementAsync();
        }
    });

    /// <summary>Many callers queueing on one grain: the contended worst case (one hot campaign).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public Task GrainCall_ManyCallersOneGrain() => Parallel.ForEachAsync(Enumerable.Range(0, Callers), Options, async (_, _) =>
    {
        for (var i = 0; i < Calls / Callers; i++)
        {
            await _grain.CallAsync(static (g, _) => g.Increment());
        }
    });

    [Benchmark(OperationsPerInvoke = Calls)]
    public Task Locked_ManyCallersOneLock() => Parallel.ForEachAsync(Enumerable.Range(0, Callers), Options, async (_, _) =>
    {
        for (var i = 0; i < Calls / Callers; i++)
        {
            await _locked.IncrementAsync();
        }
    });

    private static readonly ParallelOptions Options = new() { MaxDegreeOfParallelism = Callers };
}

public sealed class CounterGrain : Grain
{
    private long _value;

    public ValueTask<long> Increment() => ValueTask.FromResult(++_value);
}

/// <summary>The baseline: the same counter made safe by an async lock.</summary>
public sealed class LockedCounter
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _value;

    public async ValueTask<long> IncrementAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return ++_value;
        }
        finally
        {
            _gate.Release();
        }
    }
}
