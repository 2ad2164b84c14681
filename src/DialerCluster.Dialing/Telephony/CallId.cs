namespace DialerCluster.Dialing.Telephony;

/// <summary>The gateway's identifier of one call (a SIP Call-ID, or a simulator's sequence).</summary>
[GenerateSerializer]
[Immutable]
public readonly record struct CallId
{
    public CallId(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("CallId must not be empty.", nameof(value));
        }

        Value = value;
    }

    [Id(0)]
    public string Value { get; }

    public override string ToString() => Value;
}
