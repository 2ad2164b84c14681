using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DialerCluster.Benchmarks;

/// <summary>
/// An Orleans grain call round trip (co-hosted client, cached reference) into an active grain that increments a
/// counter, against the same work behind a SemaphoreSlim lock (what a hand-written thread-safe service would do).
/// Each benchmark method performs <see cref="Calls"/> calls, so BenchmarkDotNet reports time per call.
/// </summary>
[MemoryDiagnoser]
public class GrainCallBenchmarks
{
    public const int Calls = 200_000;
    public const int Callers = 64;

    // One silo for the whole run: BenchmarkDotNet sets every benchmark case up anew, and a silo owns its ports.
    private static readonly Lazy<Task<IHost>> Silo = new(StartSiloAsync);
    private ICounterGrain _grain = null!;
    private ICounterGrain[] _grains = null!;
    private LockedCounter _locked = null!;
    private LockedCounter[] _lockedCounters = null!;

    // Synchronous: BenchmarkDotNet's in-process toolchain runs the setup before its validation, which an async setup escapes.
    [GlobalSetup]
    public void Setup()
    {
        var grains = Silo.Value.GetAwaiter().GetResult().Services.GetRequiredService<IGrainFactory>();
        _grain = grains.GetGrain<ICounterGrain>(0);
        _grains = Enumerable.Range(1, Callers).Select(i => grains.GetGrain<ICounterGrain>(i)).ToArray();
        _locked = new LockedCounter();
        _lockedCounters = Enumerable.Range(0, Callers).Select(_ => new LockedCounter()).ToArray();
        foreach (var grain in _grains.Append(_grain))
        {
            grain.Increment().AsTask().GetAwaiter().GetResult();
        }
    }

    private static async Task<IHost> StartSiloAsync()
    {
        var silo = Host.CreateDefaultBuilder()
            .UseOrleans(silo => silo.UseLocalhostClustering())
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await silo.StartAsync();
        return silo;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public async Task GrainCall_SingleCaller()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _grain.Increment();
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
            await grain.Increment();
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
            await _grain.Increment();
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

public interface ICounterGrain : IGrainWithIntegerKey
{
    ValueTask<long> Increment();
}

public sealed class CounterGrain : Grain, ICounterGrain
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
