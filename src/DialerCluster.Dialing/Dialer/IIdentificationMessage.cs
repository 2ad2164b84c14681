using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Dialing.Dialer;

/// <summary>
/// Played to a person whose answered call is about to be abandoned: FCC 47 CFR 64.1200(a)(7)(i)(A) wants, within
/// 2 s of the greeting, a recorded message naming the seller and a number to opt out; Ofcom asks the same.
/// </summary>
public interface IIdentificationMessage
{
    ValueTask PlayAsync(CallId call, long campaignId, CancellationToken cancellationToken);
}

/// <summary>
/// Plays nothing: the simulated carrier has no audio path. The SIP gateway (next wave) brings the real message;
/// until then abandoned calls are hung up without it.
/// </summary>
public sealed class NoIdentificationMessage : IIdentificationMessage
{
    public ValueTask PlayAsync(CallId call, long campaignId, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
