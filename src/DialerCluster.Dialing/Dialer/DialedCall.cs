using System.Diagnostics;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Dialing.Dialer;

internal enum DialPhase
{
    /// <summary>The durable hold and the calls row are being written; nothing is dialed yet.</summary>
    Starting,
    Dialing,

    /// <summary>Released by the dialer while ringing (hang-up sent); ends as a no-answer once the carrier confirms, or as
    /// an abandon if its answer had already come.</summary>
    Releasing,
    AwaitingAgent,
    Connecting,
    Connected,
    Ended,
}

/// <summary>A dialing line of a campaign: an agent record that durably holds a case while it rings (see CampaignGrain.Dialing).</summary>
internal sealed class DialerLine(long agentId, string key)
{
    public long AgentId { get; } = agentId;

    public string Key { get; } = key;

    /// <summary>The line's last release; its next hold waits for it, since the store refuses a second hold per agent.</summary>
    public Task Released { get; set; } = Task.CompletedTask;
}

/// <summary>One call placed by a campaign, from the durable hold to its end. Touched only in the campaign's turns.</summary>
internal sealed class DialedCall(long dialId, CaseCandidate candidate, DialerLine line, DateTimeOffset dialedAt)
{
    public long DialId { get; } = dialId;

    public CaseCandidate Case { get; } = candidate;

    public DialerLine Line { get; } = line;

    public DateTimeOffset DialedAt { get; } = dialedAt;

    public DialPhase Phase { get; set; } = DialPhase.Starting;

    /// <summary>The calls row, written before the number is dialed.</summary>
    public long? CallRecordId { get; set; }

    public CallId? GatewayCallId { get; set; }

    /// <summary>When the carrier reported it ringing. The 15 s of FCC 47 CFR 64.1200(a)(6) count from here, never from the
    /// dial (post-dial delay is not ringing), so a call that never reported ringing is never released.</summary>
    public DateTimeOffset? RingingAt { get; set; }

    /// <summary>When the dialer hung it up while ringing (<see cref="DialPhase.Releasing"/>).</summary>
    public DateTimeOffset? ReleasedAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public long? AgentId { get; set; }

    public DateTimeOffset? ConnectedAt { get; set; }

    /// <summary>The trace span of the dial, open until the call is answered or ends (see DialerTracing).</summary>
    public Activity? DialSpan { get; set; }

    /// <summary>The trace span of the answered call waiting for an agent, open until it is connected or ends.</summary>
    public Activity? AnswerSpan { get; set; }
}
