namespace DialerCluster.Telephony.Simulation;

/// <summary>What the simulated network decided so far, counted at the moment each outcome was reported.</summary>
public sealed record SimulatedCarrierStatistics(
    long Originated,
    long Busy,
    long Failed,
    long NoAnswer,
    long AnsweredByHuman,
    long AnsweredByMachine,
    long Connected,
    long Active);
