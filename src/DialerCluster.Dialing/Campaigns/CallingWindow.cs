namespace DialerCluster.Dialing.Campaigns;

/// <summary>
/// The hours a contact may be called, in the CONTACT's local time (US TCPA, 47 CFR 64.1200(c)(1): not
/// before 8 a.m. or after 9 p.m. local time at the called party's location; EU rules are similar).
/// Start is inclusive, End exclusive.
/// </summary>
[GenerateSerializer]
[Immutable]
public readonly record struct CallingWindow(TimeOnly Start, TimeOnly End)
{
    public static CallingWindow Default { get; } = new(new TimeOnly(9, 0), new TimeOnly(21, 0));

    public bool IsOpen(DateTimeOffset now, TimeZoneInfo contactZone)
    {
        ArgumentNullException.ThrowIfNull(contactZone);
        var local = TimeOnly.FromTimeSpan(TimeZoneInfo.ConvertTime(now, contactZone).TimeOfDay);
        return Start <= End
            ? local >= Start && local < End
            // A window across midnight is refused by CampaignSettings.Validate; kept correct anyway.
            : local >= Start || local < End;
    }

    public override string ToString() => $"{Start:HH\\:mm}-{End:HH\\:mm}";
}
