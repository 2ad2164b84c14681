using System.CommandLine;
using DialerCluster.LoadTests.Dialer;
using DialerCluster.LoadTests.Hosting;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Suites;

namespace DialerCluster.LoadTests.Cli;

/// <summary>Options of the commands that run suites against a DialerCluster host (started here, or given by --url).</summary>
internal sealed class SuiteOptions(string defaultWarmUp = "5s", string defaultDuring = "20s", string defaultTimeout = "30s", string defaultEngine = "sqlite")
{
    /// <summary>
    /// Above this many agents, "auto" signs in one supervisor for all: each agent user costs the host two PBKDF2
    /// hashes (create, sign in), measured at ~0.2 s each on the shared 2-core machine, so 1,000 agents would spend
    /// minutes signing in before any load.
    /// </summary>
    public const int AgentUsersUpTo = 200;

    public Option<string> Engine { get; } = new("--engine") { Description = "Storage of the host started here: sqlite (the embedded default), postgres (a throwaway server) or both", DefaultValueFactory = _ => defaultEngine };

    public Option<string?> Url { get; } = new("--url") { Description = "Use a host already running at this loopback URL instead of starting one (needs --admin-password)" };

    public Option<string> AdminUser { get; } = new("--admin-user") { Description = "Admin of the host given by --url (default: $DIALER_ADMIN_USER or admin)" };

    public Option<string?> AdminPassword { get; } = new("--admin-password") { Description = "Password of that admin (default: $DIALER_ADMIN_PASSWORD)" };

    public Option<string?> HostDll { get; } = new("--host-dll") { Description = "The host to start (default: DialerCluster.Host.dll beside this program)" };

    public Option<string> WarmUp { get; } = new("--warm-up") { Description = "Start of each scenario not counted", DefaultValueFactory = _ => defaultWarmUp };

    public Option<string> During { get; } = new("--during") { Description = "Measured length of each scenario (after the warm-up)", DefaultValueFactory = _ => defaultDuring };

    public Option<string> Timeout { get; } = new("--timeout") { Description = "Step timeout; a timed-out step is recorded failed at this latency (at most 60s)", DefaultValueFactory = _ => defaultTimeout };

    public Option<string> LateAfter { get; } = new("--late-after") { Description = "An open-model arrival started later than this after its due time counts as a late start", DefaultValueFactory = _ => "5ms" };

    public Option<int> MaxInFlight { get; } = new("--max-in-flight") { Description = "Open-model arrivals beyond this many in flight are not sent and are counted as dropped", DefaultValueFactory = _ => 10_000 };

    public Option<string> Results { get; } = new("--results") { Description = "Folder for the reports and the summary", DefaultValueFactory = _ => Path.Combine("loadtests", "results") };

    public Option<bool> NoProgress { get; } = new("--no-progress") { Description = "Print neither the live progress line nor set-up progress" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Engine, Url, AdminUser, AdminPassword, HostDll, WarmUp, During, Timeout, LateAfter, MaxInFlight, Results, NoProgress })
        {
            command.Options.Add(option);
        }
    }

    public SuiteSettings SettingsOf(ParseResult parse, string command, bool smoke = false)
    {
        var url = parse.GetValue(Url);
        AdminCredentials? admin = null;
        Uri? target = null;
        if (!string.IsNullOrWhiteSpace(url))
        {
            target = Targets.LoopbackTarget.ParseUrl(url, Url.Name);
            var user = parse.GetValue(AdminUser) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable("DIALER_ADMIN_USER") is { Length: > 0 } fromEnv ? fromEnv : "admin";
            var password = parse.GetValue(AdminPassword) ?? Environment.GetEnvironmentVariable("DIALER_ADMIN_PASSWORD");
            if (string.IsNullOrEmpty(password))
            {
                throw new BadInputException(AdminPassword.Name, "is required with --url (or set DIALER_ADMIN_PASSWORD): set-up creates campaigns, agents and users as an admin");
            }

            admin = new AdminCredentials(user, password);
        }

        var quiet = parse.GetValue(NoProgress);
        var error = parse.InvocationConfiguration.Error;
        var timeout = DurationText.Parse(parse.GetValue(Timeout), Timeout.Name);
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromSeconds(60))
        {
            throw new BadInputException(Timeout.Name, $"{DurationText.Format(timeout)} must be above 0 and at most 60s");
        }

        var during = DurationText.Parse(parse.GetValue(During), During.Name);
        if (during <= TimeSpan.Zero)
        {
            throw new BadInputException(During.Name, "must be above 0");
        }

        return new SuiteSettings
        {
            Command = command,
            Engines = StorageEngines.Parse(parse.GetValue(Engine), Engine.Name),
            Url = target,
            ExternalAdmin = admin,
            HostDll = parse.GetValue(HostDll),
            WarmUp = DurationText.Parse(parse.GetValue(WarmUp), WarmUp.Name),
            During = during,
            StepTimeout = timeout,
            Smoke = smoke,
            Log = quiet ? null : error,
            Run = new RunSettings
            {
                LateStartThreshold = DurationText.Parse(parse.GetValue(LateAfter), LateAfter.Name),
                MaxInFlight = parse.GetValue(MaxInFlight),
                ResultsRoot = parse.GetValue(Results) ?? string.Empty,
                Progress = quiet ? null : error,
                InteractiveProgress = ReferenceEquals(error, Console.Error) && !Console.IsOutputRedirected && !Console.IsErrorRedirected,
            },
        };
    }

    /// <summary>"auto": each agent its own user up to <see cref="AgentUsersUpTo"/> agents, a supervisor's token above.</summary>
    public static SignInMode SignInOf(string? text, int agents, string field) => text?.Trim().ToLowerInvariant() switch
    {
        "auto" or null or "" => agents <= AgentUsersUpTo ? SignInMode.Agents : SignInMode.Supervisor,
        "agents" or "agent" => SignInMode.Agents,
        "supervisor" => SignInMode.Supervisor,
        _ => throw new BadInputException(field, $"'{text}' is not one of auto, agents, supervisor"),
    };

    public static int InRange(int value, int min, int max, string field) =>
        value >= min && value <= max ? value : throw new BadInputException(field, $"{value} must be between {min} and {max}");
}
