using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Scenarios;

/// <summary>
/// The ratio's denominator: GET /healthz (health checks that read memory, no auth, no storage) on the same host
/// through the same client, closed model with as many copies as the scenario it is compared with. No token is sent: the baseline is
/// what a request costs this host before any dialer work.
/// </summary>
internal static class BaselineScenario
{
    public const string Name = "baseline";
    public const string Step = "healthz";
    public const string SignedInName = "baseline-signed-in";
    public const string SignedInStep = "auth-me";

    public static Scenario Create(Uri baseUrl, int copies, TimeSpan during, TimeSpan warmUp, TimeSpan stepTimeout, string name = Name) =>
        new(name, [HttpStep.Get(Step, new Uri(baseUrl, "healthz"))])
        {
            Load = [LoadSimulation.KeepConstant(copies, warmUp + during)],
            WarmUp = warmUp,
            StepTimeout = stepTimeout,
        };

    /// <summary>
    /// GET /api/auth/me with a supervisor's bearer token: the cheapest signed-in API call (token check, access rule,
    /// a small JSON answer, no storage), so the gap between /healthz and next-case can be split into "being an API
    /// call" and "being next-case".
    /// </summary>
    public static Scenario SignedIn(Uri baseUrl, string token, int copies, TimeSpan during, TimeSpan warmUp, TimeSpan stepTimeout)
    {
        var url = new Uri(baseUrl, "api/auth/me");
        return new(SignedInName, [HttpStep.Send(SignedInStep, _ => AgentRequests.Get(url, token))])
        {
            Load = [LoadSimulation.KeepConstant(copies, warmUp + during)],
            WarmUp = warmUp,
            StepTimeout = stepTimeout,
        };
    }
}
