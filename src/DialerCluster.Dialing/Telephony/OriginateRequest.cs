namespace DialerCluster.Dialing.Telephony;

/// <summary>One outbound call to place. Validated on construction so no gateway ever sees a bad dial.</summary>
public sealed record OriginateRequest
{
    /// <summary>FCC 47 CFR 64.1200(a)(6): a call must ring at least 15 seconds (or four rings) before it is given up.</summary>
    public static readonly TimeSpan MinimumRingTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Longer than any carrier lets a call alert; a larger value is a configuration mistake.</summary>
    public static readonly TimeSpan MaximumRingTimeout = TimeSpan.FromSeconds(120);

    public OriginateRequest(string number, string callerId, TimeSpan ringTimeout, string correlationId)
    {
        if (!PhoneNumber.IsE164(number))
        {
            throw new ArgumentException($"Number '{number}' is not an E.164 number (+ then 2 to 15 digits, no leading 0).", nameof(number));
        }

        // Caller-id transmission is mandatory for telemarketing calls (47 CFR 64.1601(e)).
        if (!PhoneNumber.IsE164(callerId))
        {
            throw new ArgumentException($"CallerId '{callerId}' is not an E.164 number (+ then 2 to 15 digits, no leading 0).", nameof(callerId));
        }

        if (ringTimeout < MinimumRingTimeout || ringTimeout > MaximumRingTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(ringTimeout), ringTimeout,
                $"RingTimeout must be between {MinimumRingTimeout.TotalSeconds} s and {MaximumRingTimeout.TotalSeconds} s.");
        }

        if (string.IsNullOrWhiteSpace(correlationId))
        {
            throw new ArgumentException("CorrelationId must not be empty (use the case id).", nameof(correlationId));
        }

        Number = number;
        CallerId = callerId;
        RingTimeout = ringTimeout;
        CorrelationId = correlationId;
    }

    /// <summary>The customer's number in E.164.</summary>
    public string Number { get; }

    /// <summary>The number shown to the customer, in E.164.</summary>
    public string CallerId { get; }

    public TimeSpan RingTimeout { get; }

    /// <summary>Echoed on every event of the call, typically the case id.</summary>
    public string CorrelationId { get; }
}
