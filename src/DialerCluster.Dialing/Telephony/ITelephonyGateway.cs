namespace DialerCluster.Dialing.Telephony;

/// <summary>
/// The dialer's view of a carrier: place outbound calls, hear what becomes of them, bridge an answered
/// call to an agent, end calls. Implemented by the simulated carrier and by the SIP user-agent client.
/// </summary>
/// <remarks>
/// Events for one call arrive in a legal order (see <see cref="CallLifecycle"/>) and carry the
/// correlation id given at origination, so a caller can match an event even if it arrives before
/// <see cref="OriginateAsync"/> has returned the call id.
/// </remarks>
public interface ITelephonyGateway
{
    /// <summary>Starts an outbound call. Returns once the carrier has accepted it; outcomes arrive as events.</summary>
    ValueTask<CallId> OriginateAsync(OriginateRequest request, CancellationToken cancellationToken);

    /// <summary>Bridges an answered call to an agent's line.</summary>
    /// <returns><see cref="ConnectOutcome.CallGone"/> when the call ended (or was never answered) before the bridge.</returns>
    ValueTask<ConnectOutcome> ConnectToAgentAsync(CallId call, AgentEndpoint agent, CancellationToken cancellationToken);

    /// <summary>Ends a call on behalf of <paramref name="by"/> (the agent, or the system: abandon, machine, cancel).
    /// A call still ringing is cancelled. Hanging up a call that already ended is a no-op.</summary>
    ValueTask HangUpAsync(CallId call, HangUpParty by, CancellationToken cancellationToken);

    /// <summary>Delivers every call event of this gateway to <paramref name="observer"/> until the returned handle is disposed.</summary>
    IDisposable Subscribe(ICallEventObserver observer);
}
