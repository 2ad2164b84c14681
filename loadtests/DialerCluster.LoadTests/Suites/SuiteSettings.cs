using DialerCluster.LoadTests.Hosting;
using DialerCluster.LoadTests.Running;

namespace DialerCluster.LoadTests.Suites;

/// <summary>Where a suite's load goes and how long each scenario runs.</summary>
internal sealed record SuiteSettings
{
    public required string Command { get; init; }

    /// <summary>Engines to start hosts on, in order; ignored when <see cref="Url"/> is given.</summary>
    public required IReadOnlyList<StorageEngine> Engines { get; init; }

    /// <summary>A host already running (loopback only); null: start one per engine.</summary>
    public Uri? Url { get; init; }

    /// <summary>Cluster sizes to run each engine with, in order: 1 is one host; more are nodes of one cluster (PostgreSQL).</summary>
    public IReadOnlyList<int> NodeCounts { get; init; } = [1];

    public required AdminCredentials? ExternalAdmin { get; init; }

    public required string? HostDll { get; init; }

    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public required TimeSpan WarmUp { get; init; }

    public required TimeSpan During { get; init; }

    public required TimeSpan StepTimeout { get; init; }

    public required RunSettings Run { get; init; }

    /// <summary>Set-up progress (host start, seeding); null: quiet.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Smoke: goals are printed, not enforced; only failed requests fail the run.</summary>
    public bool Smoke { get; init; }
}
