using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DialerCluster.Benchmarks;

/// <summary>
/// An Orleans grain call into an active grain that increments a counter, on a one-silo host with the
/// client co-hosted (as the dialer's host calls its grains), against the same work behind a SemaphoreSlim
/// lock (what a hand-written thread-safe service would do). Grain references are fetched once and cached,
/// as the dialer's hot paths do. Each benchmark method performs <see cref="Calls"/> calls, so
/// BenchmarkDotNet reports time per call.
/// </summary>
[MemoryDiagnoser]
public class GrainCallBenchmarks
{
    public const int Calls = 200_000;
    public const int Callers = 64;

    private static readonly ParallelOptions Options = new() { MaxDegreeOfParallelism = Callers };

    private IHost _silo = null!;
    private ICounterGrain _grain = null!;
    private ICounterGrain[] _grains = null!;
    private LockedCounter _locked = null!;
    private LockedCounter[] _lockedCounters = null!;
    private MeterListener? _listener;

    /// <summary>With a listener on Orleans's meters, so every instrument Orleans records into is switched on, as a metrics exporter does.</summary>
    [Params(false, true)]
    public bool MetricsOn { get; set; }

    // BenchmarkDotNet's in-process toolchain does not await an async setup or cleanup before it measures,
    // so these two block on theirs: outside every measured call.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        if (MetricsOn)
        {
            long sink = 0;
            _listener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal))
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref sink, v));
            _listener.SetMeasurementEventCallback<int>((_, v, _, _) => Interlocked.Add(ref sink, v));
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref sink));
            _listener.Start();
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort(), FreePort()));
        _silo = builder.Build();
        await _silo.StartAsync();

        var grains = _silo.Services.GetRequiredService<IGrainFactory>();
        _grain = grains.GetGrain<ICounterGrain>(0);
        _grains = Enumerable.Range(1, Callers).Select(i => grains.GetGrain<ICounterGrain>(i)).ToArray();
        _locked = new LockedCounter();
        _lockedCounters = Enumerable.Range(0, Callers).Select(_ => new LockedCounter()).ToArray();
        foreach (var grain in _grains.Append(_grain))
        {
            await grain.Increment();
        }
    }

    private async Task CleanupAsync()
    {
        await _silo.StopAsync();
        _silo.Dispose();
        _listener?.Dispose();
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

    /// <summary>Silo and gateway ports nobody else on this machine is using.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
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
