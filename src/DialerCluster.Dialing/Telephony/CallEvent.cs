namespace DialerCluster.Dialing.Telephony;

/// <summary>Something that happened to an outbound call. <paramref name="CorrelationId"/> is the one given at origination (e.g. the case id).</summary>
[GenerateSerializer]
[Immutable]
public abstract record CallEvent(CallId CallId, string CorrelationId, DateTimeOffset At);

/// <summary>
/// The call is under way at the far end. <paramref name="Alerting"/>: the phone rings (SIP 180/183); without it the
/// network only confirmed the call is being routed (SIP 100), which is not ringing. Optional: a busy or failed call may
/// never ring. FCC 47 CFR 64.1200(a)(6)'s 15 seconds count from the first alerting one.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record CallRinging(CallId CallId, string CorrelationId, DateTimeOffset At, bool Alerting = true)
    : CallEvent(CallId, CorrelationId, At);

[GenerateSerializer]
[Immutable]
public sealed record CallAnswered(CallId CallId, string CorrelationId, DateTimeOffset At, AnsweredBy AnsweredBy)
    : CallEvent(CallId, CorrelationId, At);

[GenerateSerializer]
[Immutable]
public sealed record CallBusy(CallId CallId, string CorrelationId, DateTimeOffset At)
    : CallEvent(CallId, CorrelationId, At);

/// <summary>Nobody answered within the ring timeout.</summary>
[GenerateSerializer]
[Immutable]
public sealed record CallNoAnswer(CallId CallId, string CorrelationId, DateTimeOffset At)
    : CallEvent(CallId, CorrelationId, At);

/// <summary>The network refused the call (unallocated number, congestion, trunk down).</summary>
[GenerateSerializer]
[Immutable]
public sealed record CallFailed(CallId CallId, string CorrelationId, DateTimeOffset At, string Reason)
    : CallEvent(CallId, CorrelationId, At);

/// <summary>The call ended after being answered, or was cancelled by the system while still ringing.</summary>
[GenerateSerializer]
[Immutable]
public sealed record CallHungUp(CallId CallId, string CorrelationId, DateTimeOffset At, HangUpParty By)
    : CallEvent(CallId, CorrelationId, At);
