namespace DialerCluster.Dialing.Dialer;

/// <summary>
/// A campaign's dialing lines are agent records that hold a case while its number rings (see CampaignGrain.Dialing),
/// named with this prefix; people never get such a name, and the agent list leaves them out.
/// </summary>
public static class DialerLines
{
    public const string NamePrefix = "Dialer line ";

    public static bool IsLine(string agentName) => agentName.StartsWith(NamePrefix, StringComparison.OrdinalIgnoreCase);
}
