using Orleans.Runtime;

namespace DialerCluster.Host.Cluster;

/// <summary>
/// When a grain call may be sent again: only when Orleans says the request never reached the grain. Between a node's
/// death and the cluster declaring it dead (a second or two), calls to its grains are refused before delivery: the
/// connection to it fails, or it is already known dead and the call is rejected on this side. Sent again a moment
/// later, the call finds the grain activated on a live node. A call that was delivered and then lost its answer (the
/// node died while the grain was at work) is never sent again: it may have held a case or placed a call, and the
/// caller gets a 503 instead.
/// </summary>
internal static class UndeliveredCallRetry
{
    /// <summary>
    /// The waits between attempts: short at first (the node may already be declared dead), then longer; 4.6 s in all,
    /// inside an agent's patience and above the 1–3 s the tightened failure detection takes to declare a node dead.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> Waits =
        [.. new[] { 100, 200, 300, 500, 500, 1_000, 1_000, 1_000 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    /// <summary>
    /// True when <paramref name="failure"/> proves the request was not delivered. Orleans answers a request it did not
    /// deliver with a rejection (<see cref="OrleansMessageRejectionException"/>; a dead or unreachable target silo
    /// rejects as <see cref="SiloUnavailableException"/> with its default message). The same exception type also
    /// reports a request that was in flight when its silo was declared dead, or a host that is stopping: those carry
    /// a message of their own and may have run.
    /// </summary>
    public static bool NeverDelivered(Exception failure) => failure switch
    {
        SiloUnavailableException unavailable => unavailable.Message == RejectedAsUnavailable,
        OrleansMessageRejectionException rejection => rejection.GetType() == typeof(OrleansMessageRejectionException),
        _ => false,
    };

    /// <summary>
    /// Given the first attempt's <paramref name="failure"/> (null when it succeeded), runs <paramref name="attempt"/>
    /// (which returns the call's failure, or null) again after each of <see cref="Waits"/> while it fails undelivered.
    /// Returns the last failure, or null.
    /// </summary>
    public static async Task<Exception?> RetryAsync(Exception? failure, Func<Task<Exception?>> attempt, Func<TimeSpan, Task> wait)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(wait);
        for (var i = 0; i < Waits.Count && failure is not null && NeverDelivered(failure); i++)
        {
            await wait(Waits[i]);
            failure = await attempt();
        }

        return failure;
    }

    /// <summary>The message of a <see cref="SiloUnavailableException"/> made by its parameterless constructor, as rejections are.</summary>
    private static readonly string RejectedAsUnavailable = new SiloUnavailableException().Message;
}
