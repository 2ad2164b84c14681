namespace DialerCluster.Host.Tests.Auth;

/// <summary>
/// One API route as an access test calls it: the concrete request, who must be let through, and who (other than
/// anonymous callers) must be refused with 403. <see cref="Pattern"/> is the route as mapped, to prove every
/// mapped endpoint has a row.
/// </summary>
public sealed record ApiRoute(string Method, string Pattern, string Path, object? Body, Caller[] Allowed, Caller[] Refused, string? Why = null)
{
    public override string ToString() => $"{Method} {Path}{(Why is null ? string.Empty : " (" + Why + ")")}";
}
