using System.Globalization;
using DialerCluster.LoadTests.Dialer;
using DialerCluster.LoadTests.Hosting;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Targets;

namespace DialerCluster.LoadTests.Suites;

/// <summary>
/// Runs a suite on each engine in turn: start (or attach to) the host, set up the call center through the API,
/// run the parts' scenarios while /metrics is watched, then judge the goals and write one report per engine.
/// </summary>
internal static class SuiteRunner
{
    public static async Task<IReadOnlyList<EngineRun>> RunAsync(
        SuiteSettings settings, CallCenterPlan? plan, Func<IReadOnlyList<ISuitePart>> parts, TextWriter output, CancellationToken cancellationToken)
    {
        var runs = new List<EngineRun>();
        IReadOnlyList<StorageEngine?> targets = settings.Url is null ? [.. settings.Engines.Select(e => (StorageEngine?)e)] : [null];
        foreach (var engine in targets)
        {
            foreach (var nodes in engine is null ? [1] : settings.NodeCounts)
            {
                runs.Add(await RunEngineAsync(settings, engine, nodes, plan, parts(), output, cancellationToken));
            }
        }

        return runs;
    }

    private static async Task<EngineRun> RunEngineAsync(
        SuiteSettings settings, StorageEngine? engine, int nodes, CallCenterPlan? plan, IReadOnlyList<ISuitePart> parts, TextWriter output, CancellationToken cancellationToken)
    {
        var loadBefore = MachineLoad.Read();
        var name = engine is null ? "given host" : nodes > 1 ? $"{engine.Value.Name()} ×{nodes} nodes" : engine.Value.Name();
        settings.Log?.WriteLine($"== {settings.Command} on {(engine is null ? settings.Url!.ToString() : name)} ({MachineLoad.Describe(loadBefore)})");
        await using var host = engine is { } started
            ? await HostUnderTest.StartAsync(started, HostUnderTest.LocateHost(settings.HostDll, "--host-dll"), settings.StartupTimeout, settings.Log, cancellationToken, nodes)
            : HostUnderTest.Attach(settings.Url!.ToString(), "--url", settings.ExternalAdmin!);
        var run = new EngineRun(name, host) { LoadBefore = loadBefore };
        using var setupHttp = LoopbackTarget.CreateHttpClient();
        try
        {
            run.Empty = await HostMetrics.ScrapeAsync(setupHttp, host.BaseUrl, cancellationToken);
            if (plan is not null)
            {
                settings.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"setting up {plan.Agents:N0} agents ({plan.SignIn}) and {plan.Cases:N0} cases ..."));
                run.CallCenter = await CallCenterSeeder.SeedAsync(setupHttp, host, plan, settings.Log, cancellationToken);
                run.Seeded = await HostMetrics.ScrapeAsync(setupHttp, host.BaseUrl, cancellationToken);
            }
        }
        catch (SetupFailedException e)
        {
            throw new SetupFailedException($"{e.Message}{HostTail(host)}");
        }

        using var session = new LoadTestSession(settings.Run);
        await using (var watch = HostMetricsWatch.Start(setupHttp, host.BaseUrl))
        {
            foreach (var part in parts)
            {
                await part.RunAsync(run, session, settings, cancellationToken);
            }

            run.Peaks = watch.Peaks;
        }

        if (host.NodeUrls.Count > 1 && run.CallCenter is { } seeded)
        {
            run.Notes.Add(await ClusterPlacement.ReadAsync(setupHttp, host.BaseUrl, seeded.SupervisorToken, cancellationToken));
        }

        run.After = await HostMetrics.ScrapeAsync(setupHttp, host.BaseUrl, cancellationToken);
        run.HealthyAfter = await HealthyAsync(setupHttp, host.BaseUrl, cancellationToken);
        run.LoadAfter = MachineLoad.Read();
        foreach (var part in parts)
        {
            part.Judge(run, session.Reports, settings);
        }

        var notes = new List<ReportNote> { SetupNote(run, settings), MemoryNote(run) };
        notes.AddRange(run.Notes);
        notes.Add(new ReportNote(settings.Smoke ? "Goals (smoke: performance goals printed, not enforced)" : "Goals", [.. run.Goals.Select(g => $"- `{g}`")]));
        var outcome = session.Finish(run.Thresholds, notes);
        run.Report = outcome.Report;
        run.ReportFolder = outcome.ResultsFolder;
        await output.WriteAsync(MarkdownReport.Render(outcome.Report));
        await output.WriteLineAsync();
        await output.WriteLineAsync($"report: {Path.Combine(outcome.ResultsFolder, "report.md")} and report.csv");
        await output.WriteLineAsync();
        return run;
    }

    private static async Task<bool> HealthyAsync(HttpClient http, Uri baseUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.GetAsync(new Uri(baseUrl, "healthz"), timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static ReportNote SetupNote(EngineRun run, SuiteSettings settings)
    {
        var lines = new List<string>
        {
            $"- host: {run.Host.Description}",
            $"- machine load: before {MachineLoad.Describe(run.LoadBefore)}, after {MachineLoad.Describe(run.LoadAfter)} (this machine is shared; the figures move with it)",
            $"- scenarios: warm-up {Model.DurationText.Format(settings.WarmUp)}, measured {Model.DurationText.Format(settings.During)} each, step timeout {Model.DurationText.Format(settings.StepTimeout)}",
        };
        if (run.CallCenter is { } callCenter)
        {
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"- call center: campaign {callCenter.CampaignId}, {callCenter.Agents.Count:N0} agents ({(callCenter.SignIn == SignInMode.Agents ? "each signed in as its own user" : "a supervisor's token acting for every agent")}), {callCenter.CasesCreated:N0} cases ({callCenter.RowsRejected:N0} rows rejected or skipped)"));
            lines.AddRange(callCenter.Timings.Select(t => string.Create(CultureInfo.InvariantCulture, $"- set-up: {t.Step}: {t.Took.TotalSeconds:N1} s")));
        }

        if (!run.Host.IsRunning)
        {
            lines.Add($"- THE HOST EXITED during the run. Its last output:{HostTail(run.Host)}");
        }

        return new ReportNote("Host and set-up", lines);
    }

    private static ReportNote MemoryNote(EngineRun run) => new("Host memory (/metrics)", [
        "| when | process_resident_memory_bytes | dotnet_gc_heap_size_bytes |",
        "|---|---:|---:|",
        Row("empty host, before set-up", run.Empty?.ResidentBytes, run.Empty?.HeapBytes),
        Row("after set-up (agents and cases loaded)", run.Seeded?.ResidentBytes, run.Seeded?.HeapBytes),
        Row($"peak during the load ({run.Peaks.Samples} scrapes, 1/s)", run.Peaks.Resident, run.Peaks.Heap),
        Row("after the load", run.After?.ResidentBytes, run.After?.HeapBytes),
    ]);

    private static string Row(string when, double? rss, double? heap) =>
        $"| {when} | {(rss is > 0 ? HostMetricsSample.Mib(rss.Value) : "?")} | {(heap is > 0 ? HostMetricsSample.Mib(heap.Value) : "?")} |";

    private static string HostTail(HostUnderTest host) =>
        host.IsStartedHere ? $"\nhost output (last lines):\n{host.OutputTail()}" : string.Empty;
}
