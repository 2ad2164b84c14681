using System.Reflection;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Grains;
using DialerCluster.Host.Api;
using DialerCluster.Host.Cluster;
using Orleans.Runtime;

namespace DialerCluster.Host.Tests.Cluster;

public sealed class UndeliveredCallRetryTests
{
    [Fact]
    public async Task A_call_refused_by_a_dying_node_is_sent_again_until_it_reaches_the_grains_new_node()
    {
        var attempts = new Attempts(ConnectionRefused(), new SiloUnavailableException(), null);

        var failure = await UndeliveredCallRetry.RetryAsync(await attempts.Next(), attempts.Next, attempts.Wait);

        Assert.Null(failure);
        Assert.Equal(3, attempts.Made);
        Assert.Equal(UndeliveredCallRetry.Waits.Take(2), attempts.Waited);
    }

    [Fact]
    public async Task A_call_whose_node_died_while_the_grain_had_it_is_not_sent_again()
    {
        var inFlight = new SiloUnavailableException("The target silo became unavailable for message: Request [S127.0.0.1:11111] campaign/7 TakeNext.");
        var attempts = new Attempts(inFlight, null);

        var failure = await UndeliveredCallRetry.RetryAsync(await attempts.Next(), attempts.Next, attempts.Wait);

        Assert.Same(inFlight, failure);
        Assert.Equal(1, attempts.Made);
        Assert.Empty(attempts.Waited);
    }

    public static TheoryData<Exception> MayHaveRun() =>
    [
        new SiloUnavailableException("The target silo became unavailable for message: Request campaign/7."),
        new SiloUnavailableException("The local Orleans host is shutting down and can no longer process the request: Request campaign/7."),
        new TimeoutException("Response did not arrive on time in '00:00:30' for message: Request campaign/7."),
        new RequestRefusedException(Refusal.Conflict, "agentId", "holds a case already"),
        new InvalidOperationException("the grain threw"),
    ];

    [Theory]
    [MemberData(nameof(MayHaveRun))]
    public void Only_a_rejection_before_delivery_proves_the_call_never_ran(Exception failure) =>
        Assert.False(UndeliveredCallRetry.NeverDelivered(failure));

    [Fact]
    public void A_connection_refused_or_a_silo_known_dead_proves_the_call_never_ran()
    {
        Assert.True(UndeliveredCallRetry.NeverDelivered(ConnectionRefused()));
        Assert.True(UndeliveredCallRetry.NeverDelivered(new SiloUnavailableException()));
    }

    [Fact]
    public async Task The_retries_stop_after_a_few_seconds_and_the_last_refusal_is_what_the_caller_gets()
    {
        var attempts = new Attempts(Enumerable.Range(0, 50).Select(_ => (Exception?)new SiloUnavailableException()).ToArray());

        var failure = await UndeliveredCallRetry.RetryAsync(await attempts.Next(), attempts.Next, attempts.Wait);

        Assert.IsType<SiloUnavailableException>(failure);
        Assert.Equal(UndeliveredCallRetry.Waits.Count + 1, attempts.Made);
        var waited = attempts.Waited.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait);
        Assert.InRange(waited, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void What_still_fails_after_the_retries_is_a_503_asking_to_try_again()
    {
        foreach (var failure in new Exception[] { new SiloUnavailableException(), ConnectionRefused(), new SiloUnavailableException("The target silo became unavailable for message: x") })
        {
            var (status, errors) = ApiExceptionHandler.Classify(failure);
            Assert.Equal(503, status);
            Assert.Equal("request", Assert.Single(errors).Field);
        }
    }

    /// <summary>What Orleans answers when it cannot open a connection to the target silo (its constructor is internal).</summary>
    private static OrleansMessageRejectionException ConnectionRefused() =>
        (OrleansMessageRejectionException)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException),
            BindingFlags.Instance | BindingFlags.NonPublic,
            binder: null,
            ["Exception while sending message: Orleans.Runtime.Messaging.ConnectionFailedException: Unable to connect to endpoint S127.0.0.1:11111. Connection refused"],
            culture: null)!;

    /// <summary>A call whose successive attempts fail (or succeed, null) as scripted; the waits are recorded, not waited.</summary>
    private sealed class Attempts(params Exception?[] outcomes)
    {
        public int Made { get; private set; }

        public List<TimeSpan> Waited { get; } = [];

        public Task<Exception?> Next() => Task.FromResult(outcomes[Made++]);

        public Task Wait(TimeSpan wait)
        {
            Waited.Add(wait);
            return Task.CompletedTask;
        }
    }
}
