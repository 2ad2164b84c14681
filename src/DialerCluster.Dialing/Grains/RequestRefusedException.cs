using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Grains;

/// <summary>Why a grain refused a request; the HTTP API maps each to its status code.</summary>
[GenerateSerializer]
public enum Refusal
{
    /// <summary>400: the input itself is wrong.</summary>
    Invalid,

    /// <summary>403: the agent may not do this (e.g. not assigned to the campaign).</summary>
    Forbidden,

    /// <summary>404: no such campaign, agent, case or contact group.</summary>
    NotFound,

    /// <summary>409: the state changed under the caller (stale version, held by someone else, wrong agent state).</summary>
    Conflict,

    /// <summary>422: well-formed, but the rules refuse it (missing funnel fields, settings out of range).</summary>
    Unprocessable,

    /// <summary>503: nothing was done, and the same request tried again shortly will reach what can do it.</summary>
    Unavailable,
}

/// <summary>
/// A request the domain refuses, with every field at fault and why. Thrown by grains and the API; never a
/// server error. Deliberately not an InconsistentStateException: a refusal leaves the grain's state intact (Orleans
/// deactivates a grain that lets an InconsistentStateException escape). Serialized with its fields, so a refusal
/// raised by a grain on another node reaches the API whole.
/// </summary>
[GenerateSerializer]
public sealed class RequestRefusedException : Exception
{
    public RequestRefusedException(Refusal refusal, IReadOnlyList<FieldError> errors)
        : base(Describe(refusal, errors))
    {
        Refusal = refusal;
        Errors = errors;
    }

    public RequestRefusedException(Refusal refusal, string field, string reason)
        : this(refusal, [new FieldError(field, reason)])
    {
    }

    [Id(0)]
    public Refusal Refusal { get; }

    [Id(1)]
    public IReadOnlyList<FieldError> Errors { get; }

    public static RequestRefusedException NotFound(string field, string what, long id) =>
        new(Refusal.NotFound, field, $"no {what} with id {id}");

    private static string Describe(Refusal refusal, IReadOnlyList<FieldError> errors) =>
        $"{refusal}: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Reason}"));
}
