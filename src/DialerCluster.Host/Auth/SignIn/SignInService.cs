using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DialerCluster.Dialing.Audit;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Auth.Users;

namespace DialerCluster.Host.Auth.SignIn;

public enum SignInResult
{
    SignedIn,
    WrongCredentials,
    Throttled,
    Locked,
    Busy,
    Disabled,
}

/// <param name="User">Set when the password matched.</param>
/// <param name="RetryAfter">For <see cref="SignInResult.Throttled"/>, <see cref="SignInResult.Locked"/> and <see cref="SignInResult.Busy"/>.</param>
internal sealed record SignInOutcome(SignInResult Result, UserRecord? User = null, TimeSpan RetryAfter = default, string? Detail = null);

/// <summary>
/// A sign-in attempt from start to end: throttle (per user name and per address, before any hashing), lockout (on the
/// user's row, so every node honours it), the password check in the hashing queue, and the audit of each lockout.
/// Unknown names are throttled and locked like real ones and cost the same hash, so the answers never tell which
/// names exist.
/// </summary>
internal sealed class SignInService(
    UserDirectory users,
    PasswordWork passwords,
    SignInThrottle throttle,
    IAuditLog audit,
    [FromKeyedServices(DialerClock.Key)] TimeProvider time,
    ILogger<SignInService> logger)
{
    private const int MaxKeyLength = 120;

    public async Task<SignInOutcome> SignInAsync(string? userName, string? password, IPAddress? remote, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return new SignInOutcome(SignInResult.WrongCredentials);
        }

        var parsed = UserNames.TryParse(userName, out var name, out _);
        var key = parsed ? name.Key : "invalid:" + Truncate(userName.Trim().ToLowerInvariant());
        var address = AddressKey(remote);
        var now = time.GetUtcNow();
        var admission = throttle.Admit(key, address, now);
        if (!admission.IsAdmitted)
        {
            return Refused(admission);
        }

        var finished = false;
        try
        {
            var user = parsed ? await users.FindByKeyAsync(name.Key, cancellationToken) : null;
            if (user?.LockedUntil is { } lockedUntil && lockedUntil > now)
            {
                throttle.Finish(key, address, succeeded: true, now);
                finished = true;
                return Refused(new Admission(AdmitVerdict.Locked, lockedUntil - now));
            }

            var check = await passwords.VerifyAsync(user?.PasswordHash, password, cancellationToken);
            if (check == PasswordCheck.Busy)
            {
                throttle.Finish(key, address, succeeded: true, now);
                finished = true;
                return new SignInOutcome(SignInResult.Busy, RetryAfter: TimeSpan.FromSeconds(1), Detail: "Sign-in is busy; try again in a second.");
            }

            var matched = check == PasswordCheck.Matches && user is not null;
            var crossed = throttle.Finish(key, address, matched, time.GetUtcNow());
            finished = true;
            if (matched)
            {
                return user!.Disabled
                    ? new SignInOutcome(SignInResult.Disabled, Detail: "This user is disabled; ask a supervisor.")
                    : new SignInOutcome(SignInResult.SignedIn, user);
            }

            await AuditAsync(crossed, key, user, address, cancellationToken);
            return new SignInOutcome(SignInResult.WrongCredentials);
        }
        finally
        {
            if (!finished)
            {
                // An error (database away, cancelled): the attempt neither failed nor succeeded.
                throttle.Finish(key, address, succeeded: true, now);
            }
        }
    }

    /// <summary>The key an address is throttled under: IPv4 as is, IPv6 by its /64 (one subscriber's whole network).</summary>
    internal static string AddressKey(IPAddress? remote)
    {
        if (remote is null)
        {
            return "unknown";
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (remote.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return remote.ToString();
        }

        var bytes = remote.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private async Task AuditAsync(FailureOutcome crossed, string key, UserRecord? user, string address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (crossed.LockedUser)
        {
            var until = now + throttle.Limits.Lockout;
            if (user is not null)
            {
                await users.LockAsync(user.Id, until, cancellationToken);
            }

            logger.LogWarning("Sign-in: '{Key}' locked until {Until} after repeated failures, the last from {Address}", key, until, address);
            await audit.AppendAsync(
                new AuditEntry(
                    now,
                    "system",
                    "sign_in.locked",
                    user is null ? "sign_in:" + key : "user:" + user.Id.ToString(CultureInfo.InvariantCulture),
                    $"{throttle.Limits.LockoutFailures} failed sign-ins as '{key}', the last from {address}; locked until {until:O}"),
                cancellationToken);
        }

        if (crossed.ThrottledAddress)
        {
            logger.LogWarning("Sign-in: address {Address} slowed down after repeated failures", address);
            await audit.AppendAsync(
                new AuditEntry(
                    now,
                    "system",
                    "sign_in.throttled",
                    "address:" + address,
                    $"{throttle.Limits.AddressFreeFailures} failed sign-ins from this address; each further attempt now waits"),
                cancellationToken);
        }
    }

    private static SignInOutcome Refused(Admission admission)
    {
        var seconds = (int)Math.Ceiling(admission.RetryAfter.TotalSeconds);
        return admission.Verdict switch
        {
            AdmitVerdict.Locked => new SignInOutcome(
                SignInResult.Locked, RetryAfter: admission.RetryAfter, Detail: $"Too many failed sign-ins: this user is locked; try again in {seconds} s."),
            AdmitVerdict.AddressThrottled => new SignInOutcome(
                SignInResult.Throttled, RetryAfter: admission.RetryAfter, Detail: $"Too many failed sign-ins from your address; try again in {seconds} s."),
            _ => new SignInOutcome(
                SignInResult.Throttled, RetryAfter: admission.RetryAfter, Detail: $"Too many failed sign-ins for this user; try again in {seconds} s."),
        };
    }

    private static string Truncate(string text) => text.Length > MaxKeyLength ? text[..MaxKeyLength] : text;
}
