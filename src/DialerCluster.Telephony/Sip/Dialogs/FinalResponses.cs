using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Telephony.Sip.Dialogs;

/// <summary>
/// What a final response to our INVITE (other than 2xx and a challenge answered) means for the dialer:
///
/// | response | event |
/// |---|---|
/// | 486, 600 | busy |
/// | 408, 480; 487 after our CANCEL for the ring timeout | no answer |
/// | 487 after the dialer released the call | hung up by whoever released it |
/// | 401, 407 (after the one retry), 3xx, 404, 484, 410, 5xx, other 4xx and 6xx | failed, the status line as reason |
/// </summary>
internal static class FinalResponses
{
    public static CallEvent Map(int status, string reasonPhrase, CancelCause cancel, CallId call, string correlationId, DateTimeOffset at) => status switch
    {
        486 or 600 => new CallBusy(call, correlationId, at),
        408 or 480 => new CallNoAnswer(call, correlationId, at),
        487 when cancel.RingTimeout => new CallNoAnswer(call, correlationId, at),
        487 when cancel.IsSet => new CallHungUp(call, correlationId, at, cancel.By),
        _ => new CallFailed(call, correlationId, at, Reason(status, reasonPhrase)),
    };

    /// <summary>When the dialer gave up waiting (no final response after its CANCEL), the call ends as the CANCEL meant.</summary>
    public static CallEvent Cancelled(CancelCause cancel, CallId call, string correlationId, DateTimeOffset at) => cancel.RingTimeout
        ? new CallNoAnswer(call, correlationId, at)
        : new CallHungUp(call, correlationId, at, cancel.By);

    public static string Reason(int status, string reasonPhrase) =>
        reasonPhrase.Length == 0 ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{status} {reasonPhrase}";
}
