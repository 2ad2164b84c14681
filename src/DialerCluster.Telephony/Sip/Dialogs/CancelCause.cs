using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Telephony.Sip.Dialogs;

/// <summary>Why the dialer is ending a call that is not answered yet: its ring time ran out, or it was released.</summary>
internal readonly record struct CancelCause(bool RingTimeout, HangUpParty By)
{
    public static readonly CancelCause None = default;

    public static CancelCause NoAnswer => new(true, HangUpParty.System);

    /// <summary>A customer cannot hang up a call that never reached them: the carrier reports such a release as the system's.</summary>
    public static CancelCause HangUp(HangUpParty by) => new(false, by == HangUpParty.Customer ? HangUpParty.System : by);

    public bool IsSet => RingTimeout || this != None;
}
