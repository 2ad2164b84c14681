namespace DialerCluster.Dialing.Cases;

/// <summary>
/// One refused input: the wire name of the field (as the HTTP API spells it, e.g. "nextContactAt")
/// and a reason a person can act on. Rules return every error at once, never just the first.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record FieldError(string Field, string Reason);
