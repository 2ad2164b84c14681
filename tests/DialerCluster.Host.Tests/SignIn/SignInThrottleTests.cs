using DialerCluster.Host.Auth.SignIn;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Host.Tests.SignIn;

/// <summary>The sign-in throttle as a pure rule: per user name, per address, lockout, and concurrency buying nothing.</summary>
public sealed class SignInThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly SignInLimits Limits = new();

    [Fact]
    public void The_first_failures_cost_nothing_then_each_further_one_doubles_the_wait()
    {
        var throttle = new SignInThrottle(Limits);
        var now = T0;
        for (var i = 0; i < Limits.UserFreeFailures; i++)
        {
            Assert.True(throttle.Admit("ada", "10.0.0.1", now).IsAdmitted);
            throttle.Finish("ada", "10.0.0.1", succeeded: false, now);
        }

        var waits = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            var refused = throttle.Admit("ada", "10.0.0.1", now);
            Assert.Equal(AdmitVerdict.UserThrottled, refused.Verdict);
            waits.Add(refused.RetryAfter.TotalSeconds);
            now += refused.RetryAfter;
            Assert.True(throttle.Admit("ada", "10.0.0.1", now).IsAdmitted);
            throttle.Finish("ada", "10.0.0.1", succeeded: false, now);
        }

        Assert.Equal([1, 2, 4, 8], waits);
    }

    [Fact]
    public void Repeated_failures_lock_the_name_for_the_lockout_and_say_so_once()
    {
        var throttle = new SignInThrottle(Limits);
        var now = T0;
        var locks = 0;
        for (var failures = 0; failures < Limits.LockoutFailures; failures++)
        {
            var admission = throttle.Admit("ada", "10.0.0.1", now);
            if (!admission.IsAdmitted)
            {
                now += admission.RetryAfter;
                admission = throttle.Admit("ada", "10.0.0.1", now);
            }

            Assert.True(admission.IsAdmitted);
            locks += throttle.Finish("ada", "10.0.0.1", succeeded: false, now).LockedUser ? 1 : 0;
        }

        var locked = throttle.Admit("ada", "10.0.0.1", now);
        Assert.Equal(1, locks);
        Assert.Equal((AdmitVerdict.Locked, Limits.Lockout), (locked.Verdict, locked.RetryAfter));
        Assert.Equal(AdmitVerdict.Locked, throttle.Admit("ada", "10.0.0.2", now + Limits.Lockout - TimeSpan.FromSeconds(1)).Verdict);
        Assert.True(throttle.Admit("ada", "10.0.0.2", now + Limits.Lockout).IsAdmitted);
    }

    [Fact]
    public void Another_name_is_not_slowed_by_one_being_guessed_until_the_address_has_failed_too_often()
    {
        var throttle = new SignInThrottle(Limits);
        for (var i = 0; i < Limits.AddressFreeFailures; i++)
        {
            var name = "guess-" + i;
            Assert.True(throttle.Admit(name, "10.0.0.1", T0).IsAdmitted);
            throttle.Finish(name, "10.0.0.1", succeeded: false, T0);
        }

        var fromThere = throttle.Admit("bob", "10.0.0.1", T0);
        Assert.Equal(AdmitVerdict.AddressThrottled, fromThere.Verdict);
        Assert.True(throttle.Admit("bob", "10.0.0.9", T0).IsAdmitted);
    }

    [Fact]
    public void A_success_clears_the_users_failures_but_not_the_addresses()
    {
        var throttle = new SignInThrottle(Limits with { AddressFreeFailures = 3 });
        for (var i = 0; i < 2; i++)
        {
            throttle.Admit("ada", "10.0.0.1", T0);
            throttle.Finish("ada", "10.0.0.1", succeeded: false, T0);
        }

        throttle.Admit("ada", "10.0.0.1", T0);
        throttle.Finish("ada", "10.0.0.1", succeeded: true, T0);
        throttle.Admit("ada", "10.0.0.1", T0);
        throttle.Finish("ada", "10.0.0.1", succeeded: false, T0);

        Assert.Equal(AdmitVerdict.AddressThrottled, throttle.Admit("ada", "10.0.0.1", T0).Verdict);
        Assert.True(throttle.Admit("ada", "10.0.0.2", T0).IsAdmitted);
    }

    [Fact]
    public void Counters_are_forgotten_after_a_quiet_while_and_stay_bounded()
    {
        var throttle = new SignInThrottle(Limits with { Capacity = 100 });
        for (var i = 0; i < 1_000; i++)
        {
            var at = T0 + TimeSpan.FromMinutes(i);
            throttle.Admit("name-" + i, "10.0.0." + (i % 250), at);
            throttle.Finish("name-" + i, "10.0.0." + (i % 250), succeeded: false, at);
        }

        Assert.InRange(throttle.Remembered, 1, 100 + 2);
        Assert.True(throttle.Admit("name-0", "10.0.0.0", T0 + TimeSpan.FromDays(1)).IsAdmitted);
    }

    [Fact]
    public void Concurrent_attempts_get_no_more_password_checks_than_one_after_another()
    {
        // However many attempts are in flight at once, and however they finish, no name gets more admitted attempts
        // before the delays start than it has free failures, and never two at once once delays apply.
        var attempts = Gen.Choose(1, 60);
        var finishOrder = Gen.Shuffle(Enumerable.Range(0, 60).ToArray());
        Prop.ForAll(attempts.ToArbitrary(), finishOrder.ToArbitrary(), (count, order) =>
        {
            var throttle = new SignInThrottle(Limits);
            var admitted = Enumerable.Range(0, count).Count(i => throttle.Admit("ada", "10.0.0." + i, T0).IsAdmitted);
            foreach (var _ in order.Take(admitted))
            {
                throttle.Finish("ada", "ignored", succeeded: false, T0);
            }

            var afterward = throttle.Admit("ada", "10.0.0.200", T0);
            return admitted == Math.Min(count, Limits.UserFreeFailures) && (admitted < Limits.UserFreeFailures ? afterward.IsAdmitted : !afterward.IsAdmitted);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_whole_floor_signing_in_at_once_from_one_address_is_not_refused()
    {
        var throttle = new SignInThrottle(Limits);
        var admitted = Enumerable.Range(0, 500).Count(i => throttle.Admit("agent-" + i, "10.0.0.1", T0).IsAdmitted);
        Assert.Equal(500, admitted);
    }

    [Fact]
    public void Once_an_address_is_slowed_down_its_attempts_go_one_at_a_time()
    {
        var throttle = new SignInThrottle(Limits with { AddressFreeFailures = 2 });
        for (var i = 0; i < 2; i++)
        {
            throttle.Admit("guess-" + i, "10.0.0.1", T0);
            throttle.Finish("guess-" + i, "10.0.0.1", succeeded: false, T0);
        }

        var later = T0.AddSeconds(1);
        Assert.True(throttle.Admit("guess-2", "10.0.0.1", later).IsAdmitted);
        Assert.Equal(AdmitVerdict.AddressThrottled, throttle.Admit("guess-3", "10.0.0.1", later).Verdict);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(8, 32)]
    [InlineData(9, 60)]
    [InlineData(500, 60)]
    public void The_delay_doubles_per_failure_beyond_the_free_ones_up_to_the_maximum(int failures, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Limits.DelayAfter(failures, Limits.UserFreeFailures));
}
