namespace DialerCluster.Telephony.Sip;

/// <summary>What the last OPTIONS ping learned of the trunk. <see cref="Reachable"/> is null before the first answer or timeout.</summary>
public sealed record SipTrunkStatus(bool? Reachable, DateTimeOffset? CheckedAt, string Detail)
{
    public static readonly SipTrunkStatus NotYetChecked = new(null, null, "no OPTIONS ping answered yet");
}
