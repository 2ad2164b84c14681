namespace DialerCluster.Host.Auth.SignIn;

/// <summary>Whether a sign-in attempt may check its password now.</summary>
public enum AdmitVerdict
{
    Admitted,

    /// <summary>Too many recent failures for this user name: wait <see cref="Admission.RetryAfter"/>.</summary>
    UserThrottled,

    /// <summary>Too many recent failures from this address.</summary>
    AddressThrottled,

    /// <summary>The user name is locked after <see cref="SignInLimits.LockoutFailures"/> failures.</summary>
    Locked,
}

public readonly record struct Admission(AdmitVerdict Verdict, TimeSpan RetryAfter)
{
    public bool IsAdmitted => Verdict == AdmitVerdict.Admitted;
}

/// <summary>What a failed attempt crossed: the user's lockout, or the start of the address's slowdown (each audited once).</summary>
public readonly record struct FailureOutcome(bool LockedUser, bool ThrottledAddress);

/// <summary>
/// The sign-in throttle of <see cref="SignInLimits"/>, in memory, for one node; no I/O, time is passed in. An
/// attempt is admitted before its password is checked and finished after, and attempts still in flight count as
/// failures: a flood of concurrent guesses gets no more password checks than a slow series would. A lockout also
/// lives on the user's row, so it holds on every node and after a restart; the counters do not (per node).
/// </summary>
public sealed class SignInThrottle(SignInLimits limits)
{
    private readonly Dictionary<string, Counter> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Counter> _addresses = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public SignInLimits Limits => limits;

    public Admission Admit(string userKey, string address, DateTimeOffset now)
    {
        lock (_gate)
        {
            var user = Current(_users, userKey, now);
            if (user.LockedUntil > now)
            {
                return new Admission(AdmitVerdict.Locked, user.LockedUntil - now);
            }

            if (Wait(user, limits.UserFreeFailures, now, countInFlight: true) is { } userWait)
            {
                return new Admission(AdmitVerdict.UserThrottled, userWait);
            }

            var origin = Current(_addresses, address, now);
            if (Wait(origin, limits.AddressFreeFailures, now, countInFlight: false) is { } addressWait)
            {
                return new Admission(AdmitVerdict.AddressThrottled, addressWait);
            }

            Store(_users, userKey, user with { InFlight = user.InFlight + 1 }, now);
            Store(_addresses, address, origin with { InFlight = origin.InFlight + 1 }, now);
            return new Admission(AdmitVerdict.Admitted, TimeSpan.Zero);
        }
    }

    /// <summary>Ends an admitted attempt. A success clears the user's failures (not the address's: one good password must not launder a guessing run).</summary>
    public FailureOutcome Finish(string userKey, string address, bool succeeded, DateTimeOffset now)
    {
        lock (_gate)
        {
            var user = Current(_users, userKey, now);
            var origin = Current(_addresses, address, now);
            user = user with { InFlight = Math.Max(0, user.InFlight - 1) };
            origin = origin with { InFlight = Math.Max(0, origin.InFlight - 1) };
            if (succeeded)
            {
                Store(_users, userKey, user with { Failures = 0 }, now);
                Store(_addresses, address, origin, now);
                return default;
            }

            user = user with { Failures = user.Failures + 1, LastFailure = now };
            origin = origin with { Failures = origin.Failures + 1, LastFailure = now };
            var locked = user.Failures >= limits.LockoutFailures;
            if (locked)
            {
                // The counter starts again after the lockout: the next run of guesses earns the next lockout.
                user = user with { Failures = 0, LockedUntil = now + limits.Lockout };
            }

            Store(_users, userKey, user, now);
            Store(_addresses, address, origin, now);
            return new FailureOutcome(locked, origin.Failures == limits.AddressFreeFailures);
        }
    }

    /// <summary>Lifts a lockout of this node's memory (a new password, the user enabled again).</summary>
    public void Forgive(string userKey)
    {
        lock (_gate)
        {
            _users.Remove(userKey);
        }
    }

    /// <summary>Names and addresses remembered now (bounded by <see cref="SignInLimits.Capacity"/>).</summary>
    public int Remembered
    {
        get
        {
            lock (_gate)
            {
                return _users.Count + _addresses.Count;
            }
        }
    }

    /// <summary>
    /// Null when an attempt may go ahead; otherwise how long to wait. For a user name, attempts in flight count as
    /// failures until they finish: concurrency buys no extra guesses at one name. Not for an address: a whole office
    /// behind one address signs in at once at the start of a shift, and the hashing queue bounds what a burst costs.
    /// </summary>
    private TimeSpan? Wait(Counter counter, int free, DateTimeOffset now, bool countInFlight)
    {
        var failures = counter.Failures + (countInFlight ? counter.InFlight : 0);
        if (failures < free)
        {
            return null;
        }

        var allowedAt = counter.LastFailure + limits.DelayAfter(counter.Failures, free);
        if (counter.InFlight == 0 && now >= allowedAt)
        {
            return null;
        }

        var wait = counter.InFlight > 0 ? limits.DelayAfter(failures, free) : allowedAt - now;
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
    }

    private Counter Current(Dictionary<string, Counter> counters, string key, DateTimeOffset now)
    {
        if (!counters.TryGetValue(key, out var counter))
        {
            return default;
        }

        return IsIdle(counter, now) ? default : counter;
    }

    private bool IsIdle(Counter counter, DateTimeOffset now) =>
        counter.InFlight == 0 && counter.LockedUntil <= now && now - counter.LastFailure >= limits.Forget;

    private void Store(Dictionary<string, Counter> counters, string key, Counter counter, DateTimeOffset now)
    {
        if (counter.Failures == 0 && counter.InFlight == 0 && counter.LockedUntil <= now)
        {
            counters.Remove(key);
            return;
        }

        counters[key] = counter;
        if (_users.Count + _addresses.Count > limits.Capacity)
        {
            Sweep(now);
        }
    }

    /// <summary>Over capacity (many names or addresses at once): forget idle counters, then any not holding a lockout.</summary>
    private void Sweep(DateTimeOffset now)
    {
        foreach (var counters in new[] { _users, _addresses })
        {
            foreach (var (key, counter) in counters.ToArray())
            {
                if (IsIdle(counter, now))
                {
                    counters.Remove(key);
                }
            }
        }

        if (_users.Count + _addresses.Count > limits.Capacity)
        {
            foreach (var counters in new[] { _users, _addresses })
            {
                foreach (var (key, counter) in counters.ToArray())
                {
                    if (counter.InFlight == 0 && counter.LockedUntil <= now)
                    {
                        counters.Remove(key);
                    }
                }
            }
        }
    }

    private readonly record struct Counter(int Failures, DateTimeOffset LastFailure, int InFlight, DateTimeOffset LockedUntil);
}
