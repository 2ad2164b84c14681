using DialerCluster.Dialing.Audit;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage.Tests;

/// <summary>Users, sign-in sessions, the audit log and the key ring: one suite, run on SQLite and on PostgreSQL.</summary>
public abstract class AccessStoreTests : StoreSuiteBase
{
    private static readonly CancellationToken None = CancellationToken.None;

    internal IAuthSessionStore Sessions => new AuthSessionStore(Dialect);

    internal IAuditLog Audit => new AuditLog(Dialect);

    internal abstract IKeyRingStore KeyRing { get; }

    [Fact]
    public async Task A_user_name_key_is_taken_once_whatever_the_name_looks_like()
    {
        var ada = await NewAgentAsync();
        Assert.Equal(0, await Users.CountAsync(None));

        var user = await Users.CreateAsync(new NewUser("Ada", "ada", "ada", "hash-1", "agent", ada), None);
        var error = await Assert.ThrowsAsync<DuplicateKeyException>(() => Users.CreateAsync(new NewUser("ADA", "ada", "ada", "hash-2", "supervisor", null), None));

        Assert.Equal("userName", error.Field);
        Assert.Equal(user, await Users.FindByNameKeyAsync("ada", None));
        Assert.Equal(user, await Users.GetAsync(user.Id, None));
        Assert.Equal(("Ada", "hash-1", "agent", (long?)ada, false, 1L, (DateTimeOffset?)null), (user.UserName, user.PasswordHash, user.Role, user.AgentId, user.Disabled, user.SessionEpoch, user.LockedUntil));
        Assert.Null(await Users.FindByNameKeyAsync("bob", None));
        Assert.Equal(user, await Users.FindBySkeletonAsync("ada", None));
        Assert.Null(await Users.FindBySkeletonAsync("bob", None));
        Assert.Equal(1, await Users.CountAsync(None));
    }

    [Fact]
    public async Task Every_change_of_a_user_ends_its_sessions_and_tells_the_other_nodes()
    {
        var ada = await NewAgentAsync();
        var bob = await NewAgentAsync("Bob");
        var user = await Users.CreateAsync(new NewUser("ada", "ada", "ada", "hash-1", "agent", ada), None);
        var cursor = await Sessions.LastChangeAsync(None);

        var relinked = await Users.ChangeAsync(user.Id, new UserChange { ChangeAgent = true, AgentId = bob }, T0, None);
        var disabled = await Users.ChangeAsync(user.Id, new UserChange { Disabled = true }, T0.AddSeconds(1), None);
        var promoted = await Users.ChangeAsync(user.Id, new UserChange { Role = "supervisor", ChangeAgent = true, AgentId = null }, T0.AddSeconds(2), None);

        Assert.Equal((bob, 2L), (relinked!.AgentId, relinked.SessionEpoch));
        Assert.Equal((true, 3L), (disabled!.Disabled, disabled.SessionEpoch));
        Assert.Equal(("supervisor", (long?)null, true, 4L), (promoted!.Role, promoted.AgentId, promoted.Disabled, promoted.SessionEpoch));
        var changes = await Sessions.ChangesAfterAsync(cursor, None);
        Assert.Equal([(user.Id, (string?)null), (user.Id, null), (user.Id, null)], changes.Select(c => (c.UserId, c.SessionId)));
        Assert.Equal(changes.OrderBy(c => c.Id), changes);
        Assert.Null(await Users.ChangeAsync(987_654, new UserChange { Disabled = true }, T0, None));
    }

    [Fact]
    public async Task A_new_password_or_enabling_lifts_a_lockout_and_other_changes_keep_it()
    {
        var user = await Users.CreateAsync(new NewUser("cyd", "cyd", "cyd", "hash-1", "supervisor", null), None);
        var until = T0.AddMinutes(15);

        await Users.SetLockedUntilAsync(user.Id, until, None);
        var renamedRole = await Users.ChangeAsync(user.Id, new UserChange { Role = "admin" }, T0, None);
        var newPassword = await Users.ChangeAsync(user.Id, new UserChange { PasswordHash = "hash-2" }, T0, None);
        await Users.SetLockedUntilAsync(user.Id, until, None);
        var enabled = await Users.ChangeAsync(user.Id, new UserChange { Disabled = false }, T0, None);

        Assert.Equal(until, renamedRole!.LockedUntil);
        Assert.Equal((null, "hash-2"), (newPassword!.LockedUntil, newPassword.PasswordHash));
        Assert.Null(enabled!.LockedUntil);
        Assert.Single(await Users.ListAsync(None));
    }

    [Fact]
    public async Task Linking_a_user_to_an_agent_that_does_not_exist_is_refused()
    {
        var user = await Users.CreateAsync(new NewUser("dee", "dee", "dee", "hash-1", "supervisor", null), None);

        await Assert.ThrowsAsync<ArgumentException>(() => Users.ChangeAsync(user.Id, new UserChange { ChangeAgent = true, AgentId = 987_654 }, T0, None));
        Assert.Equal(1, (await Users.GetAsync(user.Id, None))!.SessionEpoch);
    }

    [Fact]
    public async Task Deleting_a_user_deletes_its_sessions_and_tells_the_other_nodes()
    {
        var user = await Users.CreateAsync(new NewUser("eve", "eve", "eve", "hash-1", "admin", null), None);
        await Sessions.StartAsync(new AuthSessionStart("session-eve-000001", user.Id, AuthSessionKind.Cookie, T0, "127.0.0.1"), None);
        var cursor = await Sessions.LastChangeAsync(None);

        Assert.True(await Users.DeleteAsync(user.Id, T0, None));
        Assert.False(await Users.DeleteAsync(user.Id, T0, None));

        Assert.Null(await Users.GetAsync(user.Id, None));
        Assert.Null(await Sessions.GetAsync("session-eve-000001", None));
        Assert.Equal([(user.Id, (string?)null)], (await Sessions.ChangesAfterAsync(cursor, None)).Select(c => (c.UserId, c.SessionId)));
    }

    [Fact]
    public async Task A_session_ends_once_and_its_end_is_followed_by_the_other_nodes()
    {
        var user = await Users.CreateAsync(new NewUser("fay", "fay", "fay", "hash-1", "supervisor", null), None);
        await Sessions.StartAsync(new AuthSessionStart("session-fay-000001", user.Id, AuthSessionKind.Bearer, T0, null), None);
        await Sessions.StartAsync(new AuthSessionStart("session-fay-000002", user.Id, AuthSessionKind.Cookie, T0, null), None);
        var cursor = await Sessions.LastChangeAsync(None);

        Assert.True(await Sessions.RevokeAsync("session-fay-000001", T0.AddMinutes(1), None));
        Assert.False(await Sessions.RevokeAsync("session-fay-000001", T0.AddMinutes(2), None));
        Assert.False(await Sessions.RevokeAsync("no-such-session-00", T0.AddMinutes(2), None));

        var ended = await Sessions.GetAsync("session-fay-000001", None);
        Assert.Equal((AuthSessionKind.Bearer, (DateTimeOffset?)T0.AddMinutes(1)), (ended!.Kind, ended.RevokedAt));
        Assert.Null((await Sessions.GetAsync("session-fay-000002", None))!.RevokedAt);
        Assert.Equal(["session-fay-000001"], await Sessions.RevokedSinceAsync(T0, None));
        Assert.Empty(await Sessions.RevokedSinceAsync(T0.AddMinutes(2), None));
        var change = Assert.Single(await Sessions.ChangesAfterAsync(cursor, None));
        Assert.Equal((user.Id, "session-fay-000001", T0.AddMinutes(1)), (change.UserId, change.SessionId, change.At));
        Assert.Equal(change.Id, await Sessions.LastChangeAsync(None));
    }

    [Fact]
    public async Task Of_two_refreshes_with_the_same_generation_only_one_wins_and_an_ended_session_never_refreshes()
    {
        var user = await Users.CreateAsync(new NewUser("gil", "gil", "gil", "hash-1", "supervisor", null), None);
        await Sessions.StartAsync(new AuthSessionStart("session-gil-000001", user.Id, AuthSessionKind.Bearer, T0, null), None);

        var both = await Task.WhenAll(Sessions.RotateAsync("session-gil-000001", 0, None), Sessions.RotateAsync("session-gil-000001", 0, None));
        var next = await Sessions.RotateAsync("session-gil-000001", 1, None);
        await Sessions.RevokeAsync("session-gil-000001", T0, None);
        var afterEnd = await Sessions.RotateAsync("session-gil-000001", 2, None);

        Assert.Equal(1, both.Count(won => won));
        Assert.True(next);
        Assert.False(afterEnd);
        Assert.Equal(2, (await Sessions.GetAsync("session-gil-000001", None))!.RefreshGeneration);
    }

    [Fact]
    public async Task A_node_following_the_changes_while_they_are_written_misses_none()
    {
        var users = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            users.Add((await Users.CreateAsync(new NewUser($"u{i}", $"u{i}", $"u{i}", "hash", "supervisor", null), None)).Id);
        }

        var cursor = await Sessions.LastChangeAsync(None);
        var seen = new List<long>();
        using var writing = new CancellationTokenSource();
        var follower = Task.Run(async () =>
        {
            // Like the node's poller, only much faster: a change committed behind the cursor would be lost here.
            var last = cursor;
            while (true)
            {
                var stop = writing.IsCancellationRequested;
                foreach (var change in await Sessions.ChangesAfterAsync(last, None))
                {
                    seen.Add(change.Id);
                    last = change.Id;
                }

                if (stop)
                {
                    return;
                }
            }
        });
        await Task.WhenAll(users.SelectMany(id => Enumerable.Range(0, 10).Select(n => Task.Run(() => Users.ChangeAsync(id, new UserChange { Disabled = n % 2 == 0 }, T0, None)))));
        await writing.CancelAsync();
        await follower;

        var written = await Sessions.ChangesAfterAsync(cursor, None);
        Assert.Equal(80, written.Count);
        Assert.Equal(written.Select(c => c.Id), seen);
    }

    [Fact]
    public async Task Pruning_forgets_old_sessions_and_changes_only()
    {
        var user = await Users.CreateAsync(new NewUser("hal", "hal", "hal", "hash-1", "supervisor", null), None);
        await Sessions.StartAsync(new AuthSessionStart("session-hal-old-01", user.Id, AuthSessionKind.Cookie, T0, null), None);
        await Sessions.StartAsync(new AuthSessionStart("session-hal-new-01", user.Id, AuthSessionKind.Cookie, T0.AddDays(40), null), None);
        await Sessions.RevokeAsync("session-hal-old-01", T0, None);
        await Sessions.RevokeAsync("session-hal-new-01", T0.AddDays(40), None);

        await Sessions.PruneAsync(T0.AddDays(30), T0.AddDays(30), None);

        Assert.Null(await Sessions.GetAsync("session-hal-old-01", None));
        Assert.NotNull(await Sessions.GetAsync("session-hal-new-01", None));
        Assert.Equal(["session-hal-new-01"], (await Sessions.ChangesAfterAsync(0, None)).Select(c => c.SessionId));
    }

    [Fact]
    public async Task The_audit_log_keeps_who_did_what_to_whom_and_when_newest_first()
    {
        await Audit.AppendAsync(new AuditEntry(T0, "admin", "user.created", "user:1", "role agent"), None);
        await Audit.AppendAsync(new AuditEntry(T0.AddSeconds(1), "system", "sign_in.locked", "sign_in:bob", "address 10.0.0.9"), None);
        await Audit.AppendAsync(new AuditEntry(T0.AddSeconds(2), "admin", "user.disabled", "user:1", null), None);

        var all = await Audit.RecentAsync(10, null, null, None);
        var ofUser = await Audit.RecentAsync(10, "user:1", null, None);
        var locks = await Audit.RecentAsync(10, null, "sign_in.locked", None);

        Assert.Equal(["user.disabled", "sign_in.locked", "user.created"], all.Select(a => a.Action));
        Assert.Equal((T0.AddSeconds(2), "admin", "user:1", (string?)null), (all[0].At, all[0].Actor, all[0].Subject, all[0].Detail));
        Assert.Equal(["user.disabled", "user.created"], ofUser.Select(a => a.Action));
        Assert.Equal(("system", "address 10.0.0.9"), (locks.Single().Actor, locks.Single().Detail));
        Assert.Single(await Audit.RecentAsync(1, null, null, None));
    }

    [Fact]
    public void The_key_ring_keeps_each_element_once_and_reads_them_all()
    {
        Assert.Empty(KeyRing.ReadAll());

        KeyRing.Add("key-1", "<key id=\"1\" />");
        KeyRing.Add("key-2", "<key id=\"2\" />");
        KeyRing.Add("key-1", "<key id=\"1\" changed=\"yes\" />");

        Assert.Equal(["<key id=\"1\" />", "<key id=\"2\" />"], KeyRing.ReadAll().Order(StringComparer.Ordinal));
    }
}
