using System.CommandLine;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Scenarios;
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
}
