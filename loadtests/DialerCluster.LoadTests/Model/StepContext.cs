namespace DialerCluster.LoadTests.Model;

/// <summary>
/// What a step sees. In the closed model (keep-constant) a copy keeps its <see cref="Data"/> and counts its
/// <see cref="Iteration"/> across loops and phases, so a copy can play one logged-in agent. In the open model every
/// arrival is a copy of its own: <see cref="CopyId"/> is the arrival number and <see cref="Data"/> starts empty.
/// </summary>
internal sealed class StepContext(string scenarioName, long copyId, HttpClient http)
{
    private Dictionary<string, object?>? _data;

    public string ScenarioName { get; } = scenarioName;

    public long CopyId { get; } = copyId;

    public long Iteration { get; internal set; }

    /// <summary>One client shared by every copy of every scenario in the run; it refuses any non-loopback host.</summary>
    public HttpClient Http { get; } = http;

    public IDictionary<string, object?> Data => _data ??= [];

    /// <summary>Cancelled when the step times out or the run is stopped: pass it to every I/O call.</summary>
    public CancellationToken CancellationToken { get; internal set; }
}
