namespace DialerCluster.Host.Auth.SignIn;

/// <summary>
/// How hard guessing passwords is made (<c>Auth:SignIn:*</c>). Per user name: <see cref="UserFreeFailures"/> failures
/// cost nothing, each further one doubles the wait before the next attempt (1 s, 2 s, 4 s ... up to
/// <see cref="MaxDelay"/>), and <see cref="LockoutFailures"/> failures lock the name for <see cref="Lockout"/>.
/// Per address the same doubling starts after <see cref="AddressFreeFailures"/> failures, with no lockout. A counter
/// forgets after <see cref="Forget"/> without a failure; a successful sign-in clears the user's.
/// </summary>
public sealed record SignInLimits
{
    public int UserFreeFailures { get; init; } = 3;

    public int LockoutFailures { get; init; } = 10;

    public TimeSpan Lockout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Generous: a contact center's floor signs in from one address, typos included.</summary>
    public int AddressFreeFailures { get; init; } = 100;

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Forget { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Names and addresses remembered at most; beyond it, idle ones are forgotten first.</summary>
    public int Capacity { get; init; } = 100_000;

    /// <summary>The wait after the last failure once <paramref name="failures"/> exceed <paramref name="free"/>.</summary>
    public TimeSpan DelayAfter(int failures, int free)
    {
        if (failures < free)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - free, 30);
        var delay = TimeSpan.FromSeconds(Math.Pow(2, doublings));
        return delay < MaxDelay ? delay : MaxDelay;
    }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (UserFreeFailures < 0)
        {
            errors.Add("UserFreeFailures must be 0 or more");
        }

        if (LockoutFailures <= UserFreeFailures)
        {
            errors.Add("LockoutFailures must be more than UserFreeFailures");
        }

        if (AddressFreeFailures < 1)
        {
            errors.Add("AddressFreeFailures must be 1 or more");
        }

        if (Lockout <= TimeSpan.Zero || MaxDelay < TimeSpan.FromSeconds(1) || Forget <= TimeSpan.Zero)
        {
            errors.Add("LockoutMinutes, MaxDelaySeconds (at least 1) and ForgetMinutes must be positive");
        }

        if (Capacity < 100)
        {
            errors.Add("Capacity must be 100 or more");
        }

        return errors;
    }
}
