using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Runtime.Tests.Support;

/// <summary>A runtime with in-memory storage and a shared <see cref="Journal"/> that test grains report to.</summary>
internal sealed class TestRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public TestRuntime(Action<GrainRuntimeOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGrainRuntime(configure);
        services.AddMemoryGrainStorage();
        services.AddSingleton<Journal>();
        _services = services.BuildServiceProvider();
        Runtime = _services.GetRequiredService<GrainRuntime>();
        Journal = _services.GetRequiredService<Journal>();
        Storage = (MemoryGrainStorage)_services.GetRequiredKeyedService<IGrainStorage>(PersistentStateAttribute.DefaultStorage);
        Runtime.StartAsync().GetAwaiter();
    }

    public GrainRuntime Runtime { get; }

    public Journal Journal { get; }

    public MemoryGrainStorage Storage { get; }

    public GrainRef<T> Get<T>(string key) where T : Grain => Runtime.GetGrain<T>(key);

    /// <summary>The live grain object behind a reference, for releasing test gates without queueing a call.</summary>
    public T Live<T>(GrainRef<T> grain) where T : Grain
        => (T)Runtime.Catalog.All.Single(a => a.Id == grain.Id).Grain!;

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync();
        await _services.DisposeAsync();
    }
}

/// <summary>What test grains saw: constructions, activations, overlaps.</summary>
internal sealed class Journal
{
    private int _live;
    private int _maxLive;

    public int Constructed;
    public int Activated;
    public int Deactivated;
    public int FailActivations;

    /// <summary>When set, activations wait here first, so a test can queue calls behind a known activation.</summary>
    public TaskCompletionSource? ActivationGate;
    public List<DeactivationReason> Reasons { get; } = [];

    public int MaxLive => Volatile.Read(ref _maxLive);

    public void Live()
    {
        var now = Interlocked.Increment(ref _live);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxLive)) && Interlocked.CompareExchange(ref _maxLive, now, seen) != seen)
        {
        }
    }

    public void Gone() => Interlocked.Decrement(ref _live);
}

internal static class Eventually
{
    /// <summary>Polls a condition; fails with a message after a generous bound (not a timing assertion).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Timed out waiting until {what}");
            await Task.Delay(10);
        }
    }

    public static async Task True(Func<bool> condition, string what, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Timed out waiting until {what}");
            await Task.Delay(10);
        }
    }
}
