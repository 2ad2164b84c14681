using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Scenarios;

/// <summary>The example scenario: one GET of a given loopback URL per iteration, ok on any 2xx.</summary>
internal static class ProbeScenario
{
    public static Scenario Create(string name, Uri url, IReadOnlyList<LoadSimulation> load, TimeSpan warmUp, TimeSpan stepTimeout) =>
        new(name, [HttpStep.Get("get", url)])
        {
            Load = load,
            WarmUp = warmUp,
            StepTimeout = stepTimeout,
        };
}
