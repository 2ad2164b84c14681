namespace DialerCluster.Dialing.Telephony;

/// <summary>Who picked up an answered call, as told by the carrier's answering-machine detection.</summary>
[GenerateSerializer]
public enum AnsweredBy
{
    Human,
    Machine,
}

/// <summary>Who ended a call.</summary>
[GenerateSerializer]
public enum HangUpParty
{
    Customer,
    Agent,

    /// <summary>The dialer itself: an abandoned call, a machine, a cancelled dial, shutdown.</summary>
    System,
}

[GenerateSerializer]
public enum ConnectOutcome
{
    Connected,

    /// <summary>The call ended, was never answered, or is already bridged: the agent gets nothing.</summary>
    CallGone,
}
