using System.Text.RegularExpressions;

namespace DialerCluster.LoadTests.Model;

/// <summary>One named step of a scenario; its latency and counts are reported on their own row.</summary>
internal sealed record ScenarioStep(string Name, Func<StepContext, Task<StepResult>> Run);

/// <summary>Given to <see cref="Scenario.Init"/> and <see cref="Scenario.Clean"/>.</summary>
internal sealed record ScenarioSetupContext(HttpClient Http, CancellationToken CancellationToken);

/// <summary>
/// A scenario: ordered steps run once per arrival (open model) or in a loop per copy (closed model), under the
/// load simulations in <see cref="Load"/> played one after the other. An iteration stops at its first failed step.
/// </summary>
internal sealed partial record Scenario(string Name, IReadOnlyList<ScenarioStep> Steps)
{
    public IReadOnlyList<LoadSimulation> Load { get; init; } = [];

    /// <summary>The first part of the load timeline whose iterations are run but not counted.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.Zero;

    /// <summary>A step still running after this is recorded as failed at exactly this latency, never dropped.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public Func<ScenarioSetupContext, Task>? Init { get; init; }

    public Func<ScenarioSetupContext, Task>? Clean { get; init; }

    public TimeSpan Duration => Load.Aggregate(TimeSpan.Zero, (sum, load) => sum + load.During);

    public void Validate()
    {
        if (!NamePattern().IsMatch(Name))
        {
            throw new BadInputException("scenario name", $"'{Name}' must be letters, digits, '.', '_' or '-' (it is used in thresholds and folder names)");
        }

        if (Steps.Count == 0)
        {
            throw new BadInputException($"scenario '{Name}' steps", "a scenario needs at least one step");
        }

        foreach (var step in Steps)
        {
            if (!NamePattern().IsMatch(step.Name))
            {
                throw new BadInputException($"scenario '{Name}' step name", $"'{step.Name}' must be letters, digits, '.', '_' or '-'");
            }
        }

        var duplicate = Steps.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new BadInputException($"scenario '{Name}' steps", $"step name '{duplicate.Key}' is used twice");
        }

        if (Load.Count == 0)
        {
            throw new BadInputException($"scenario '{Name}' load", "at least one load simulation is needed");
        }

        if (WarmUp < TimeSpan.Zero || WarmUp >= Duration)
        {
            throw new BadInputException($"scenario '{Name}' warm-up", $"{DurationText.Format(WarmUp)} must be at least 0 and shorter than the load ({DurationText.Format(Duration)})");
        }

        if (StepTimeout <= TimeSpan.Zero || StepTimeout > Measurement.LatencyHistogram.MaxValue)
        {
            throw new BadInputException($"scenario '{Name}' step timeout", $"{DurationText.Format(StepTimeout)} must be above 0 and at most 60s (the histogram's range)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
