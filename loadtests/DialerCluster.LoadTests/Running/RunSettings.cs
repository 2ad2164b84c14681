using System.Diagnostics;
using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Running;

/// <summary>How a run is carried out and reported; the scenarios say what load to apply.</summary>
internal sealed record RunSettings
{
    /// <summary>An open-model arrival started later than this after its due time counts as a late start.</summary>
    public TimeSpan LateStartThreshold { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Open-model arrivals beyond this many in flight are not started and are counted as dropped.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>Bound on a scenario's <see cref="Scenario.Init"/> and <see cref="Scenario.Clean"/>.</summary>
    public TimeSpan SetupTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public string ResultsRoot { get; init; } = Path.Combine("loadtests", "results");

    /// <summary>Where the live progress line goes (null: nowhere).</summary>
    public TextWriter? Progress { get; init; } = Console.Error;

    /// <summary>Rewrite one line each second on a terminal; print a plain line every few seconds in CI logs.</summary>
    public bool InteractiveProgress { get; init; } = !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    /// <summary>Stopwatch timestamps; tests replace it to freeze the harness for a while.</summary>
    public Func<long> Clock { get; init; } = Stopwatch.GetTimestamp;

    public void Validate()
    {
        if (LateStartThreshold < TimeSpan.Zero)
        {
            throw new BadInputException("late-start threshold", $"{DurationText.Format(LateStartThreshold)} must be at least 0");
        }

        if (MaxInFlight < 1)
        {
            throw new BadInputException("max in-flight", $"{MaxInFlight} must be at least 1");
        }

        if (string.IsNullOrWhiteSpace(ResultsRoot))
        {
            throw new BadInputException("results folder", "must not be empty");
        }
    }
}
