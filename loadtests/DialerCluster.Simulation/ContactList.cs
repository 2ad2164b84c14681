using System.Globalization;
using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Simulation;

/// <summary>
/// The campaign's leads: due retries first (oldest due first), then fresh contacts. Retry timing and the 72-hour
/// quarantine of abandoned numbers come from the product's <see cref="RetryPolicy"/>, not from the simulation.
/// </summary>
internal sealed class ContactList(CampaignSettings settings)
{
    private readonly PriorityQueue<int, long> _retries = new();
    private readonly List<int> _attempts = [];
    private readonly List<long> _abandonedAtTicks = [];
    private int _fresh;

    public long AbandonedRedialedWithin72Hours { get; private set; }

    public int Next(DateTimeOffset now)
    {
        int contact;
        if (_retries.TryPeek(out int due, out long dueTicks) && dueTicks <= now.UtcTicks)
        {
            contact = _retries.Dequeue();
        }
        else
        {
            contact = _fresh++;
            _attempts.Add(0);
            _abandonedAtTicks.Add(long.MinValue);
        }

        // Guard the rule, not just trust it: count any machine redial of an abandoned number inside 72 hours.
        long abandonedAt = _abandonedAtTicks[contact];
        if (abandonedAt != long.MinValue && now.UtcTicks - abandonedAt < RetryPolicy.AbandonedQuarantine.Ticks)
        {
            AbandonedRedialedWithin72Hours++;
        }

        _attempts[contact]++;
        return contact;
    }

    public void Finished(int contact, CallOutcome outcome, DateTimeOffset now)
    {
        if (outcome == CallOutcome.Abandoned)
        {
            _abandonedAtTicks[contact] = now.UtcTicks;
        }

        // A talk ends the contact's part in the simulated day: what follows it is the funnel's, not the dialer's.
        var decision = RetryPolicy.Next(outcome, _attempts[contact], settings, now, followUpDecided: outcome == CallOutcome.Talked);
        if (decision.Kind == RetryDecisionKind.RetryAt)
        {
            _retries.Enqueue(contact, decision.NotBefore!.Value.UtcTicks);
        }
    }

    /// <summary>A +1 555 number (the fictional exchange), unique per contact.</summary>
    public static string Number(int contact) => "+1555" + contact.ToString("D7", CultureInfo.InvariantCulture);
}
