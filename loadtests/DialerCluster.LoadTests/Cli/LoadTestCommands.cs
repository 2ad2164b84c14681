using System.CommandLine;
using DialerCluster.LoadTests.Dialer;
using DialerCluster.LoadTests.Hosting;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Scenarios;
using DialerCluster.LoadTests.Suites;
using DialerCluster.LoadTests.Targets;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Cli;

internal static class LoadTestCommands
{
    public static RootCommand Create()
    {
        var root = new RootCommand("DialerCluster load generator: scenarios of HTTP steps against a host on this machine, open or closed model, latency measured from each arrival's due time, Markdown/CSV reports and PASS/FAIL thresholds.");
        root.Subcommands.Add(Run());
        root.Subcommands.Add(SelfTest());
        root.Subcommands.Add(Baseline());
        root.Subcommands.Add(Storm());
        root.Subcommands.Add(Cluster());
        root.Subcommands.Add(MixedDayCommand());
        root.Subcommands.Add(SignInFloodCommand());
        root.Subcommands.Add(Smoke());
        root.Subcommands.Add(ReportsCommand());
        return root;
    }

    /// <summary>Parses and runs; a command line that does not parse exits with 2 like any other bad input.</summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null)
    {
        var parse = Create().Parse(args);
        configuration ??= new InvocationConfiguration();
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync($"error: {error.Message}");
            }

            return 2;
        }

        return await parse.InvokeAsync(configuration);
    }

    private static Command Run()
    {
        var options = new RunOptions();
        var url = new Option<string>("--url") { Description = "Loopback URL to GET once per iteration, e.g. http://127.0.0.1:5000/healthz", Required = true };
        var name = new Option<string>("--name") { Description = "Scenario name (in reports and thresholds)", DefaultValueFactory = _ => "probe" };
        var load = new Option<string[]>("--load")
        {
            Description = "Load phases in order, repeatable: inject:RATE[/INTERVAL]:DURING, ramp:RATE[/INTERVAL]:DURING, keep:COPIES:DURING",
            DefaultValueFactory = _ => ["inject:100/1s:10s"],
        };
        var command = new Command("run", "Run the probe scenario (GET --url) under the given load") { url, name, load };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunOptions.ExecuteAsync(
            parse,
            () => new LoadTestPlan(
                [ProbeScenario.Create(
                    parse.GetValue(name) ?? "probe",
                    LoopbackTarget.ParseUrl(parse.GetValue(url), url.Name),
                    [.. (parse.GetValue(load) ?? []).Select(l => LoadSimulation.Parse(l, load.Name))],
                    options.WarmUpOf(parse),
                    options.TimeoutOf(parse))],
                options.ThresholdsOf(parse)),
            options.SettingsOf(parse),
            cancellationToken));
        return command;
    }

    private static Command SelfTest()
    {
        var options = new RunOptions();
        var rate = new Option<double>("--rate") { Description = "Arrivals per second of the open-model scenario", DefaultValueFactory = _ => 200 };
        var copies = new Option<int>("--copies") { Description = "Copies of the closed-model scenario", DefaultValueFactory = _ => 4 };
        var during = new Option<string>("--during") { Description = "Length of each of the two scenarios", DefaultValueFactory = _ => "3s" };
        var command = new Command(
            "selftest",
            "Start a fixed-200 HTTP listener on 127.0.0.1 and run two scenarios against it (selftest-open: inject, selftest-closed: keep-constant), with the thresholds fail% <= 1 and rps(selftest-closed) >= 0.5 * rps(selftest-open) plus any given")
        {
            rate, copies, during,
        };
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var listener = SelfTestListener.Start();
            return await RunOptions.ExecuteAsync(
                parse,
                () =>
                {
                    var length = DurationText.Parse(parse.GetValue(during), during.Name);
                    var url = new Uri(listener.BaseUrl, "healthz");
                    return new LoadTestPlan(
                        [
                            ProbeScenario.Create("selftest-open", url, [LoadSimulation.Inject(parse.GetValue(rate), TimeSpan.FromSeconds(1), length)], options.WarmUpOf(parse), options.TimeoutOf(parse)),
                            ProbeScenario.Create("selftest-closed", url, [LoadSimulation.KeepConstant(parse.GetValue(copies), length)], options.WarmUpOf(parse), options.TimeoutOf(parse)),
                        ],
                        [Threshold.Parse("fail% <= 1"), Threshold.Parse("rps(selftest-closed) >= 0.5 * rps(selftest-open)"), .. options.ThresholdsOf(parse)]);
                },
                options.SettingsOf(parse),
                cancellationToken);
        });
        return command;
    }

    private static Command Baseline()
    {
        var options = new SuiteOptions();
        var copies = new Option<int>("--copies") { Description = "Copies looping GET /healthz (closed model)", DefaultValueFactory = _ => 64 };
        var command = new Command("baseline", "GET /healthz on a host started here (or --url) at its maximum: the trivial endpoint the next-case ratio is taken against") { copies };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunSuiteAsync(
            parse,
            () =>
            {
                var settings = options.SettingsOf(parse, "baseline");
                var n = SuiteOptions.InRange(parse.GetValue(copies), 1, 100_000, copies.Name);
                return (settings, null, () => [new BaselinePart(n)]);
            },
            cancellationToken));
        return command;
    }

    private static Command Storm()
    {
        var options = new SuiteOptions();
        var agents = new Option<int>("--agents") { Description = "Agents on the one campaign, each looping next-case → complete", DefaultValueFactory = _ => 1_000 };
        var cases = new Option<int>("--cases") { Description = "Cases in the campaign, imported through the API", DefaultValueFactory = _ => 1_000_000 };
        var chunk = new Option<int>("--chunk") { Description = "Contacts per imported CSV (one named group each)", DefaultValueFactory = _ => CallCenterPlan.DefaultChunkRows };
        var outcome = new Option<string>("--outcome") { Description = "Outcome each complete sends (no_answer schedules a retry, so every next-case takes a fresh case; talked puts it straight back)", DefaultValueFactory = _ => "no_answer" };
        var signIn = new Option<string>("--sign-in") { Description = $"agents (each its own user and token), supervisor (one token acting for all) or auto (agents up to {SuiteOptions.AgentUsersUpTo:N0})", DefaultValueFactory = _ => "auto" };
        var noInMemory = new Option<bool>("--no-in-memory") { Description = "Skip the in-process campaign-queue figure" };
        var command = new Command(
            "storm",
            "Next-case storm: baseline (GET /healthz), N agents looping next-case → complete at the host's maximum (closed model), then at 70% of it (open model); goals: ratio >= 50%, p99 <= 10 ms at 70% (SQLite), 10,000 agents and 1,000,000 cases standing, durable assignments/s per engine beside the in-memory rate")
        {
            agents, cases, chunk, outcome, signIn, noInMemory,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunSuiteAsync(
            parse,
            () =>
            {
                var settings = options.SettingsOf(parse, "storm");
                var plan = PlanOf(parse, agents, cases, chunk, signIn);
                var complete = OutcomeOf(parse.GetValue(outcome), outcome.Name);
                var inMemory = !parse.GetValue(noInMemory);
                return (settings, plan, () => [new StormPart(complete, inMemory)]);
            },
            cancellationToken));
        return command;
    }

    /// <summary>
    /// The storm on one node and on a cluster of several on one PostgreSQL, one after the other, the agents spread over the
    /// nodes as a load balancer would spread them.
    /// </summary>
    private static Command Cluster()
    {
        var options = new SuiteOptions(defaultEngine: "postgres");
        var nodes = new Option<int>("--nodes") { Description = "Nodes of the cluster run (after a run on one node)", DefaultValueFactory = _ => 3 };
        var agents = new Option<int>("--agents") { Description = "Agents on the one campaign, spread over the nodes", DefaultValueFactory = _ => 300 };
        var cases = new Option<int>("--cases") { Description = "Cases in the campaign, imported through the API", DefaultValueFactory = _ => 100_000 };
        var command = new Command(
            "cluster",
            "The next-case storm on 1 node, then on N nodes of one cluster on one PostgreSQL, agents spread over the nodes: throughput, p99, failed requests and where Orleans placed the grains")
        {
            nodes, agents, cases,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunSuiteAsync(
            parse,
            () =>
            {
                var settings = options.SettingsOf(parse, "cluster");
                if (settings.Engines.Any(e => e != StorageEngine.Postgres))
                {
                    throw new BadInputException(options.Engine.Name, "a cluster runs on PostgreSQL only (--engine postgres)");
                }

                var count = SuiteOptions.InRange(parse.GetValue(nodes), 2, 9, nodes.Name);
                var plan = new CallCenterPlan(
                    SuiteOptions.InRange(parse.GetValue(agents), 1, 100_000, agents.Name),
                    SuiteOptions.InRange(parse.GetValue(cases), 1, 10_000_000, cases.Name),
                    CallCenterPlan.DefaultChunkRows,
                    SignInMode.Supervisor);
                return (settings with { NodeCounts = [1, count] }, plan, () => [new StormPart("talked", measureInMemory: false)]);
            },
            cancellationToken));
        return command;
    }

    private static Command MixedDayCommand()
    {
        var options = new SuiteOptions(defaultDuring: "30s");
        var agents = new Option<int>("--agents") { Description = "Agents working the campaign", DefaultValueFactory = _ => 200 };
        var cases = new Option<int>("--cases") { Description = "Cases in the campaign, imported through the API", DefaultValueFactory = _ => 100_000 };
        var chunk = new Option<int>("--chunk") { Description = "Contacts per imported CSV (one named group each)", DefaultValueFactory = _ => CallCenterPlan.DefaultChunkRows };
        var signIn = new Option<string>("--sign-in") { Description = $"agents, supervisor or auto (agents up to {SuiteOptions.AgentUsersUpTo:N0})", DefaultValueFactory = _ => "auto" };
        var command = new Command(
            "mixed-day",
            "A working day compressed: per 100 cases 100 next-case and complete, 25 case saves with callbacks, 20 status changes (break and back), 5 monitor reads")
        {
            agents, cases, chunk, signIn,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunSuiteAsync(
            parse,
            () => (options.SettingsOf(parse, "mixed-day"), PlanOf(parse, agents, cases, chunk, signIn), () => [new MixedDayPart()]),
            cancellationToken));
        return command;
    }

    private static Command SignInFloodCommand()
    {
        var options = new SuiteOptions(defaultDuring: "15s");
        var copies = new Option<int>("--copies") { Description = "Loops signing in at once, back to back", DefaultValueFactory = _ => 64 };
        var rate = new Option<double>("--rate") { Description = "GET /healthz per second while measuring (open model)", DefaultValueFactory = _ => 100 };
        var command = new Command(
            "signin-flood",
            "Sign-in must not starve the host: /healthz latency quiet, during a storm of right-password sign-ins (hashing queue) and during a flood of wrong passwords (throttle, lockout)")
        {
            copies, rate,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunSuiteAsync(
            parse,
            () =>
            {
                var settings = options.SettingsOf(parse, "signin-flood");
                var loops = SuiteOptions.InRange(parse.GetValue(copies), 1, 10_000, copies.Name);
                var perSecond = parse.GetValue(rate) is var r && r is > 0 and <= 100_000 ? r : throw new BadInputException(rate.Name, $"must be more than 0 and at most 100000, not {r}");
                return (settings, null, () => [new SignInFloodPart(loops, perSecond)]);
            },
            cancellationToken));
        return command;
    }

    private static Command Smoke()
    {
        var options = new SuiteOptions(defaultWarmUp: "1s", defaultDuring: "2s", defaultTimeout: "10s");
        var command = new Command(
            "smoke",
            "Every scenario, tiny, on one host (20 agents, 20,000 cases, SQLite by default): baseline, storm (closed and open), mixed day. Proves the harness and the API still fit together; performance goals are printed, not enforced; fails on failed requests or a campaign that ran dry");
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunSuiteAsync(
            parse,
            () => (
                options.SettingsOf(parse, "smoke", smoke: true),
                // 20,000 cases: the mixed day takes a fresh case out of reach on most outcomes (a retry hours away, a
                // callback a minute away), and a fast machine runs thousands of cycles in its 3 s.
                new CallCenterPlan(Agents: 20, Cases: 20_000, ChunkRows: 10_000, SignIn: SignInMode.Agents),

                // "talked" puts each case straight back, so the storm never runs the cases dry however fast the host is.
                () => [new StormPart("talked", measureInMemory: true), new MixedDayPart()]),
            cancellationToken));
        return command;
    }

    private static Command ReportsCommand()
    {
        var engine = new Option<string>("--engine") { Description = "sqlite, postgres (a throwaway server) or both", DefaultValueFactory = _ => "both" };
        var cases = new Option<int>("--cases") { Description = "Cases in the seeded year (about five history rows and two calls each)", DefaultValueFactory = _ => 1_000_000 };
        var days = new Option<int>("--days") { Description = "Days of history the cases are spread over (the longest report period is at most this)", DefaultValueFactory = _ => 365 };
        var runs = new Option<int>("--runs") { Description = "Timed runs of each report (the median is judged)", DefaultValueFactory = _ => 3 };
        var command = new Command(
            "reports",
            "Seeds a year of history in bulk (1,000,000 cases, about 5,000,000 history rows) on each engine, runs every report over 30 and 365 days, and prints each one's time (goal <= 2 s), the indexes used and every statement's plan")
        {
            engine, cases, days, runs,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var engines = StorageEngines.Parse(parse.GetValue(engine), engine.Name);
                var benchmark = new Reports.ReportBenchmark(
                    SuiteOptions.InRange(parse.GetValue(cases), 1_000, 10_000_000, cases.Name),
                    SuiteOptions.InRange(parse.GetValue(days), 30, 365, days.Name),
                    SuiteOptions.InRange(parse.GetValue(runs), 1, 20, runs.Name),
                    parse.InvocationConfiguration.Output);
                return await benchmark.RunAsync(engines, cancellationToken);
            }
            catch (BadInputException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static CallCenterPlan PlanOf(ParseResult parse, Option<int> agents, Option<int> cases, Option<int> chunk, Option<string> signIn)
    {
        var agentCount = SuiteOptions.InRange(parse.GetValue(agents), 1, 100_000, agents.Name);
        return new CallCenterPlan(
            agentCount,
            SuiteOptions.InRange(parse.GetValue(cases), 1, 9_999_999, cases.Name),
            SuiteOptions.InRange(parse.GetValue(chunk), 1, 1_000_000, chunk.Name),
            SuiteOptions.SignInOf(parse.GetValue(signIn), agentCount, signIn.Name));
    }

    private static string OutcomeOf(string? text, string field) =>
        Dialing.Campaigns.CallOutcomeWire.TryParse(text, out var outcome)
            ? Dialing.Campaigns.CallOutcomeWire.ToWire(outcome)
            : throw new BadInputException(field, $"'{text}' is not one of {string.Join(", ", Dialing.Campaigns.CallOutcomeWire.All)}");

    /// <summary>Runs a suite, prints each engine's report and the summary; 0 all goals met, 1 not, 2 bad input, 130 cancelled.</summary>
    private static async Task<int> RunSuiteAsync(
        ParseResult parse,
        Func<(SuiteSettings Settings, CallCenterPlan? Plan, Func<IReadOnlyList<ISuitePart>> Parts)> build,
        CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var (settings, plan, parts) = build();
            var startedAt = DateTimeOffset.UtcNow;
            var runs = await SuiteRunner.RunAsync(settings, plan, parts, output, cancellationToken);
            var summary = SuiteSummary.Render(settings, startedAt, runs);
            await output.WriteAsync(summary);
            await output.WriteLineAsync($"summary: {SuiteSummary.Write(settings, startedAt, summary)}");
            return runs.All(r => r.Passed(goalsEnforced: !settings.Smoke)) ? 0 : 1;
        }
        catch (BadInputException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled: the host started here was stopped; no report for the engine in progress");
            return 130;
        }
        catch (SetupFailedException e)
        {
            await error.WriteLineAsync($"set-up failed: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            await error.WriteLineAsync($"could not run: {e.Message}");
            return 1;
        }
    }
}
