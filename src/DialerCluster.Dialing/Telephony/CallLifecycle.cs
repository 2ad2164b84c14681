namespace DialerCluster.Dialing.Telephony;

public enum CallStage
{
    /// <summary>Originated, nothing heard yet.</summary>
    Dialing,
    Ringing,
    Answered,

    /// <summary>Busy, no answer, failed or hung up: nothing may follow.</summary>
    Ended,
}

/// <summary>
/// The legal order of events for one call, shared by every gateway and its tests:
/// Dialing → (Ringing) → Answered → HungUp, or Dialing/Ringing → Busy | NoAnswer | Failed | HungUp(by system or agent: a cancel).
/// Nothing follows an end; answered comes at most once and never after a final outcome.
/// </summary>
public static class CallLifecycle
{
    /// <summary>The stage after <paramref name="callEvent"/>, or null when the event is illegal in <paramref name="stage"/>.</summary>
    public static CallStage? Next(CallStage stage, CallEvent callEvent) => (stage, callEvent) switch
    {
        (CallStage.Dialing, CallRinging { Alerting: false }) => CallStage.Dialing,
        (CallStage.Dialing, CallRinging) => CallStage.Ringing,
        (CallStage.Dialing or CallStage.Ringing, CallAnswered) => CallStage.Answered,
        (CallStage.Dialing or CallStage.Ringing, CallBusy or CallNoAnswer or CallFailed) => CallStage.Ended,

        // A call nobody answered can only be cancelled from our side (the system, or the agent in preview);
        // a customer who declines is reported as busy or no answer.
        (CallStage.Dialing or CallStage.Ringing, CallHungUp { By: not HangUpParty.Customer }) => CallStage.Ended,
        (CallStage.Answered, CallHungUp) => CallStage.Ended,
        _ => null,
    };

    public static bool IsLegal(CallStage stage, CallEvent callEvent) => Next(stage, callEvent) is not null;
}
