using DialerCluster.Telephony.Sip.Messages;

namespace DialerCluster.Telephony.Sip.Transactions;

/// <summary>
/// The transaction user (RFC 3261 section 5): the call or the trunk pinger that owns a transaction. Every callback
/// runs with <see cref="Gate"/> held; timers take it before touching a transaction, so one call's state changes one
/// at a time whether a message, a timer or the dialer moved it.
/// </summary>
internal interface ITransactionUser
{
    Lock Gate { get; }

    /// <summary>A response the transaction passes up: provisional, the first final, and (INVITE, RFC 6026) every 2xx.</summary>
    void OnResponse(ClientTransaction transaction, SipMessage response);

    /// <summary>Timer B or F: no final response in time; or the transport failed (RFC 3261 section 17.1.4).</summary>
    void OnFailure(ClientTransaction transaction, TransactionFailure failure);

    /// <summary>The transaction is over and may be forgotten.</summary>
    void OnTerminated(ClientTransaction transaction);
}

internal enum TransactionFailure : byte
{
    Timeout,
    TransportError,
}
