using System.Collections.Concurrent;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Host.Auth;

/// <summary>
/// Used only when no durable <see cref="IUserStore"/> is registered (a host wired without storage): users then
/// live as long as the process, which the start-up log says loudly.
/// </summary>
internal sealed class InMemoryUserStore : IUserStore
{
    private readonly ConcurrentDictionary<string, UserRecord> _users = new(StringComparer.OrdinalIgnoreCase);
    private long _nextId;

    public Task<UserRecord> CreateAsync(string userName, string passwordHash, string role, long? agentId, CancellationToken cancellationToken)
    {
        var user = new UserRecord(Interlocked.Increment(ref _nextId), userName, passwordHash, role, agentId);
        return _users.TryAdd(userName, user)
            ? Task.FromResult(user)
            : Task.FromException<UserRecord>(new DuplicateKeyException("userName", $"The user name '{userName}' is taken."));
    }

    public Task<UserRecord?> FindByNameAsync(string userName, CancellationToken cancellationToken) =>
        Task.FromResult(_users.TryGetValue(userName, out var user) ? user : null);

    public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(_users.Count);
}
