using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Scenarios;

/// <summary>
/// The ratio's denominator: GET /healthz (a constant "ok", no auth, no storage) on the same host through the same
/// client, closed model with as many copies as the scenario it is compared with. No token is sent: the baseline is
/// what a request costs this host before any dialer work.
/// </summary>
internal static class BaselineScenario
{
    public const string Name = "baseline";
    public const string Step = "healthz";

    public static Scenario Create(Uri baseUrl, int copies, TimeSpan during, TimeSpan warmUp, TimeSpan stepTimeout, string name = Name) =>
        new(name, [HttpStep.Get(Step, new Uri(baseUrl, "healthz"))])
        {
            Load = [LoadSimulation.KeepConstant(copies, warmUp + during)],
            WarmUp = warmUp,
            StepTimeout = stepTimeout,
        };
}
