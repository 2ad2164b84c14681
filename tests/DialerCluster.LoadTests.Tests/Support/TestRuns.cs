using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Running;

namespace DialerCluster.LoadTests.Tests.Support;

internal static class TestRuns
{
    /// <summary>Settings for tests: no progress line, results in a throwaway folder.</summary>
    public static RunSettings Quiet(string? resultsRoot = null) => new()
    {
        Progress = null,
        ResultsRoot = resultsRoot ?? Path.Combine(Path.GetTempPath(), "loadtests-unused"),
    };

    public static Scenario Of(string name, Func<StepContext, Task<StepResult>> step, params LoadSimulation[] load) =>
        new(name, [new ScenarioStep("step", step)]) { Load = load };

    public static async Task<DialerCluster.LoadTests.Reporting.ScenarioReport> RunAsync(Scenario scenario, RunSettings? settings = null)
    {
        using var http = new HttpClient();
        return await new ScenarioRunner(scenario, settings ?? Quiet(), http).RunAsync(CancellationToken.None);
    }
}

/// <summary>A folder under the temp directory, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"loadtests-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
