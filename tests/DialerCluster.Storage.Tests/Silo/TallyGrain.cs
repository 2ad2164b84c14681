using System.Collections.Concurrent;
using Orleans.Runtime;

namespace DialerCluster.Storage.Tests.Silo;

/// <summary>A small grain with persistent state and reminders: what the conformance suite drives through a real silo.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    /// <summary>The count as the activation holds it (read from storage when it activated).</summary>
    Task<int> CountAsync();

    /// <summary>Adds to the count and writes the state.</summary>
    Task AddAsync(int amount);

    Task ClearAsync();

    Task RemindAsync(string reminder, TimeSpan period);

    Task<IReadOnlyList<string>> RemindersAsync();
}

/// <summary>The state as JSON sees it: property names only.</summary>
public sealed class Tally
{
    public int Count { get; set; }

    public string? Note { get; set; }
}

public sealed class TallyGrain(
    [PersistentState("tally", SiloStorageExtensions.GrainStorageName)] IPersistentState<Tally> tally,
    ReminderLog reminders) : Grain, ITallyGrain, IRemindable
{
    public Task<int> CountAsync() => Task.FromResult(tally.State.Count);

    public async Task AddAsync(int amount)
    {
        tally.State.Count += amount;
        await tally.WriteStateAsync();
    }

    public Task ClearAsync() => tally.ClearStateAsync();

    public Task RemindAsync(string reminder, TimeSpan period) =>
        this.RegisterOrUpdateReminder(reminder, period, period);

    public async Task<IReadOnlyList<string>> RemindersAsync() =>
        (await this.GetReminders()).Select(r => r.ReminderName).Order(StringComparer.Ordinal).ToList();

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        reminders.Ticked(this.GetPrimaryKeyString(), reminderName);
        return Task.CompletedTask;
    }
}

/// <summary>Reminder ticks a silo delivered, by grain key and reminder name; registered in the silo's services.</summary>
public sealed class ReminderLog
{
    private readonly ConcurrentDictionary<(string Grain, string Reminder), int> _ticks = new();

    public void Ticked(string grain, string reminder) => _ticks.AddOrUpdate((grain, reminder), 1, (_, n) => n + 1);

    public int Ticks(string grain, string reminder) => _ticks.GetValueOrDefault((grain, reminder));
}
