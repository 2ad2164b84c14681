namespace DialerCluster.Dialing.Telephony;

public static class PhoneNumber
{
    /// <summary>ITU-T E.164: '+', a country code not starting with 0, at most 15 digits in all.</summary>
    public static bool IsE164(string? value)
    {
        if (value is null || value.Length < 3 || value.Length > 16 || value[0] != '+' || value[1] is < '1' or > '9')
        {
            return false;
        }

        foreach (char c in value.AsSpan(2))
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
