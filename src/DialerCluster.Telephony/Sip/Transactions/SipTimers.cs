namespace DialerCluster.Telephony.Sip.Transactions;

/// <summary>The timer values of RFC 3261 section 17 (table 4), with the defaults it recommends.</summary>
internal static class SipTimers
{
    /// <summary>RTT estimate.</summary>
    public static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest retransmit interval for non-INVITE requests and INVITE responses.</summary>
    public static readonly TimeSpan T2 = TimeSpan.FromSeconds(4);

    /// <summary>The longest a message stays in the network.</summary>
    public static readonly TimeSpan T4 = TimeSpan.FromSeconds(5);

    /// <summary>Timers B, F, H, J and M: 64·T1 = 32 s.</summary>
    public static readonly TimeSpan TransactionTimeout = T1 * 64;

    /// <summary>Timer D: at least 32 s over UDP to absorb retransmitted final responses; 0 over TCP.</summary>
    public static TimeSpan TimerD(bool reliable) => reliable ? TimeSpan.Zero : TimeSpan.FromSeconds(32);

    /// <summary>Timer K: T4 over UDP, 0 over TCP.</summary>
    public static TimeSpan TimerK(bool reliable) => reliable ? TimeSpan.Zero : T4;

    /// <summary>Timer J: 64·T1 over UDP, 0 over TCP.</summary>
    public static TimeSpan TimerJ(bool reliable) => reliable ? TimeSpan.Zero : TransactionTimeout;
}
