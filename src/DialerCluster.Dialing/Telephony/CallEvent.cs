namespace DialerCluster.Dialing.Telephony;

/// <summary>Something that happened to an outbound call. <paramref name="CorrelationId"/> is the one given at origination (e.g. the case id).</summary>
[GenerateSerializer]
[Immutable]
public abstract record CallEvent(CallId CallId, string CorrelationId, DateTimeOffset At);

/// <summary>The far end is alerting. Optional: a busy or failed call may never ring.</summary>
[GenerateSerializer]
[Immutable]
public sealed record CallRinging(CallId CallId, string CorrelationId, DateTimeOffset At)
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
