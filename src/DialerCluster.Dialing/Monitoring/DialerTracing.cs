using System.Collections.Concurrent;
using System.Diagnostics;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Dialer;

namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// Spans of the dialer's work on the ActivitySource "DialerCluster" (exported over OTLP when configured). A dialed
/// Next case reads as one tree:
/// <code>
/// next_case                 the agent's request, while they wait
/// ├── dial                  a call placed while they waited, until it was answered or ended
/// │   └── hold              the dialer line's durable hold, before the number is dialed
/// ├── answer                the person answered, until an agent was bridged (the 2 s rule) or the call abandoned
/// └── connect               the answered call handed to this agent
///     ├── release           the line lets go of the case
///     └── hold              the agent's durable hold
/// complete                  the agent's next request: the attempt recorded, the case released
/// import                    a contact import
/// </code>
/// </summary>
/// <remarks>
/// The campaign dials on its pacing timer, not inside the agent's request, so a dial is parented explicitly: the Next
/// case registers its span under (campaign, agent) while it waits, and the campaign looks up the agent it dials for.
/// Spans that live across grain turns are kept on <see cref="DialedCall"/>; starting one never leaves it as
/// <see cref="Activity.Current"/> for the rest of the turn. Store spans (hold, release) are only made under a parent:
/// the storage layer never starts a trace of its own.
/// </remarks>
public sealed class DialerTracing
{
    public const string SourceName = "DialerCluster";

    public static readonly ActivitySource Source = new(SourceName);

    private readonly ConcurrentDictionary<(long Campaign, long Agent), ActivityContext> _waiting = new();

    /// <summary>
    /// The agent's Next case in a campaign: a span under the request's, registered so that the calls placed and
    /// connected for this agent while it runs become its children. Dispose when the request ends.
    /// </summary>
    public NextCaseSpan NextCase(long campaignId, long agentId)
    {
        var activity = Source.StartActivity("next_case", ActivityKind.Internal);
        if (activity is null)
        {
            return default;
        }

        activity.SetTag("dialer.campaign", campaignId);
        activity.SetTag("dialer.agent", agentId);
        _waiting[(campaignId, agentId)] = activity.Context;
        return new NextCaseSpan(this, activity, (campaignId, agentId));
    }

    /// <summary>A span of the whole request (complete, import), under the request's span.</summary>
    public static Activity? Request(string name) => Source.StartActivity(name, ActivityKind.Internal);

    /// <summary>A store write (hold, release) under the current span; none when nothing traces this work.</summary>
    public static Activity? StoreWrite(string name, long caseId)
    {
        if (Activity.Current is null)
        {
            return null;
        }

        var activity = Source.StartActivity(name, ActivityKind.Internal);
        activity?.SetTag("dialer.case", caseId);
        return activity;
    }

    /// <summary>Makes <paramref name="span"/> the current span for the rest of the calling async method.</summary>
    public static void Continue(Activity? span)
    {
        if (span is not null)
        {
            Activity.Current = span;
        }
    }

    internal void Dial(DialedCall call, long campaignId, DialMode mode, long? forAgentId)
    {
        var parent = forAgentId is { } agent && _waiting.TryGetValue((campaignId, agent), out var waiting) ? waiting : default;
        call.DialSpan = StartDetached("dial", parent, campaignId, call);
        call.DialSpan?.SetTag("dialer.mode", mode.ToWire());
    }

    /// <summary>
    /// The person answered: the dial ends, the wait for an agent begins beside it (under the dial itself when nobody
    /// waited as it was dialed, so the call stays one trace).
    /// </summary>
    internal static void Answered(DialedCall call)
    {
        var parent = call.DialSpan is not { } dial ? default
            : dial.ParentSpanId != default ? new ActivityContext(dial.TraceId, dial.ParentSpanId, dial.ActivityTraceFlags)
            : dial.Context;
        End(call.DialSpan, "answered");
        call.DialSpan = null;
        call.AnswerSpan = StartDetached("answer", parent, null, call);
    }

    /// <summary>
    /// The answered call goes to an agent: the wait for an agent ends, and a connect span under that agent's Next case
    /// becomes current for the calling async method, so the store's release and hold land under it. Dispose at the end.
    /// </summary>
    internal Activity? Connect(DialedCall call, long campaignId, long agentId)
    {
        End(call.AnswerSpan, "connecting");
        call.AnswerSpan = null;
        var parent = _waiting.TryGetValue((campaignId, agentId), out var waiting) ? waiting : default;
        var connect = StartDetached("connect", parent, campaignId, call);
        connect?.SetTag("dialer.agent", agentId);
        Continue(connect);
        return connect;
    }

    /// <summary>The call ended (any outcome): whatever span of it is still open ends with the outcome.</summary>
    internal static void CallEnded(DialedCall call, CallOutcome outcome)
    {
        End(call.DialSpan, outcome.ToWire());
        End(call.AnswerSpan, outcome.ToWire());
        call.DialSpan = null;
        call.AnswerSpan = null;
    }

    /// <summary>Starts a span that outlives this turn without becoming the turn's current span.</summary>
    private static Activity? StartDetached(string name, ActivityContext parent, long? campaignId, DialedCall call)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        var activity = Source.StartActivity(name, ActivityKind.Internal, parent);
        Activity.Current = previous;
        if (activity is not null)
        {
            if (campaignId is { } campaign)
            {
                activity.SetTag("dialer.campaign", campaign);
            }

            activity.SetTag("dialer.case", call.Case.CaseId);
        }

        return activity;
    }

    /// <summary>The store refused the line's hold: nothing was dialed.</summary>
    internal static void NotDialed(DialedCall call)
    {
        End(call.DialSpan, "not_dialed");
        call.DialSpan = null;
    }

    private static void End(Activity? span, string outcome)
    {
        if (span is null)
        {
            return;
        }

        var previous = Activity.Current;
        span.SetTag("dialer.outcome", outcome);
        span.Stop();
        Activity.Current = previous;
    }

    private void Forget((long Campaign, long Agent) key, ActivityContext context) =>
        _waiting.TryRemove(new KeyValuePair<(long, long), ActivityContext>(key, context));

    /// <summary>The Next case span; disposing ends it and stops calls from being parented to it.</summary>
    public readonly struct NextCaseSpan : IDisposable
    {
        private readonly DialerTracing? _tracing;
        private readonly (long Campaign, long Agent) _key;

        internal NextCaseSpan(DialerTracing tracing, Activity activity, (long Campaign, long Agent) key)
        {
            _tracing = tracing;
            Activity = activity;
            _key = key;
        }

        public Activity? Activity { get; }

        public void Dispose()
        {
            if (Activity is { } activity)
            {
                _tracing!.Forget(_key, activity.Context);
                activity.Dispose();
            }
        }
    }
}
