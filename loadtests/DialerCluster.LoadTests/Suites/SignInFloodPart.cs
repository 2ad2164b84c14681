using System.Globalization;
using DialerCluster.LoadTests.Dialer;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Scenarios;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Suites;

/// <summary>
/// Sign-in must not starve the host (issue 15.5): GET /healthz at a fixed rate (open model, latency from each arrival's
/// due time) three times: quiet; while <paramref name="copies"/> loops sign in with the right password as many users
/// (every one a real PBKDF2 hash, admitted by the hashing queue); and while they flood one user with wrong passwords
/// (throttled, then locked). All from this machine's one address, as one attacker or one office would be.
/// </summary>
internal sealed class SignInFloodPart(int copies, double rate) : ISuitePart
{
    public const string Quiet = "healthz-quiet";
    public const string DuringSignIns = "healthz-during-sign-ins";
    public const string DuringWrongPasswords = "healthz-during-wrong-passwords";

    private const string Password = "flood-pass-123";

    private IReadOnlyDictionary<int, long> _signIns = new Dictionary<int, long>();
    private IReadOnlyDictionary<int, long> _guesses = new Dictionary<int, long>();
    private TimeSpan _signInWall;

    public async Task RunAsync(EngineRun run, LoadTestSession session, SuiteSettings settings, CancellationToken cancellationToken)
    {
        var api = new DialerApiClient(session.Http, run.Host.BaseUrl);
        var admin = await api.TokenAsync(run.Host.Admin.UserName, run.Host.Admin.Password, cancellationToken);
        var prefix = "flood-" + Guid.NewGuid().ToString("N")[..6];
        // A user per loop, as people sign in: one person never signs in many times at once.
        for (var i = 0; i < copies; i++)
        {
            await api.CreateUserAsync(admin, $"{prefix}-{i}", Password, "supervisor", null, cancellationToken);
        }

        await ScenarioCpu.RunAsync(run, session, Probe(run, settings, Quiet), cancellationToken);

        // Right passwords first: the wrong ones afterwards leave this address slowed down for a quarter of an hour.
        await using (var signIns = new SignInFlood(run.Host.BaseUrl, copies, copy => ($"{prefix}-{copy}", Password)))
        {
            signIns.Start();
            await ScenarioCpu.RunAsync(run, session, Probe(run, settings, DuringSignIns), cancellationToken);
            await signIns.StopAsync();
            (_signIns, _signInWall) = (signIns.Answers, signIns.Elapsed);
        }

        await using (var guesses = new SignInFlood(run.Host.BaseUrl, copies, _ => ($"{prefix}-0", "not-the-password")))
        {
            guesses.Start();
            await ScenarioCpu.RunAsync(run, session, Probe(run, settings, DuringWrongPasswords), cancellationToken);
            await guesses.StopAsync();
            _guesses = guesses.Answers;
        }

        foreach (var name in new[] { Quiet, DuringSignIns, DuringWrongPasswords })
        {
            run.Thresholds.Add(Threshold.Parse($"fail%({name}) <= 1"));
        }
    }

    public void Judge(EngineRun run, IReadOnlyList<ScenarioReport> reports, SuiteSettings settings)
    {
        var quiet = reports.Single(r => r.Scenario == Quiet).Total.Latency;
        foreach (var (name, what) in new[] { (Quiet, "quiet"), (DuringSignIns, $"during {copies} loops signing in"), (DuringWrongPasswords, $"during {copies} loops of wrong passwords") })
        {
            var latency = reports.Single(r => r.Scenario == name).Total.Latency;
            run.Goals.Add(new GoalLine(
                $"/healthz {what}",
                GoalVerdict.NotJudged,
                string.Create(CultureInfo.InvariantCulture, $"p50 {latency.P50Ms:0.##} ms, p99 {latency.P99Ms:0.##} ms, max {latency.MaxMs:0.##} ms at {rate:N0}/s (p99 {Ratio(latency.P99Ms, quiet.P99Ms)} of quiet)")));
        }

        var signedIn = Count(_signIns, 200);
        run.Goals.Add(new GoalLine(
            "right passwords (each a hash, through the hashing queue)",
            GoalVerdict.NotJudged,
            string.Create(CultureInfo.InvariantCulture, $"{signedIn / Math.Max(_signInWall.TotalSeconds, 0.001):N1} sign-ins/s; {Describe(_signIns)}")));
        run.Goals.Add(new GoalLine("wrong passwords for one user (throttled per user name)", GoalVerdict.NotJudged, Describe(_guesses)));

        // The floods got only the answers the design gives: no 5xx but the queue's 503, no wrong password let in.
        var unexpected = _signIns.Where(a => a.Key is not (200 or 503)).Concat(_guesses.Where(a => a.Key is not (401 or 429 or 503))).Sum(a => a.Value);
        run.Goals.Add(new GoalLine(
            "sign-in floods answered only 200/503 (right) and 401/429/503 (wrong)",
            unexpected == 0 && signedIn > 0 && Count(_guesses, 429) > 0 ? GoalVerdict.Pass : GoalVerdict.Fail,
            string.Create(CultureInfo.InvariantCulture, $"{unexpected:N0} other answers; {signedIn:N0} signed in; {Count(_guesses, 429):N0} throttled"),
            Correctness: true));
    }

    private Scenario Probe(EngineRun run, SuiteSettings settings, string name) =>
        ProbeScenario.Create(name, new Uri(run.Host.BaseUrl, "healthz"), [LoadSimulation.Inject(rate, TimeSpan.FromSeconds(1), settings.WarmUp + settings.During)], settings.WarmUp, settings.StepTimeout);

    private static long Count(IReadOnlyDictionary<int, long> answers, int status) => answers.TryGetValue(status, out var n) ? n : 0;

    private static string Describe(IReadOnlyDictionary<int, long> answers) =>
        answers.Count == 0 ? "no answers" : string.Join(", ", answers.OrderBy(a => a.Key).Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Value:N0} × {(a.Key == 0 ? "no answer" : a.Key.ToString(CultureInfo.InvariantCulture))}")));

    private static string Ratio(double value, double baseline) =>
        baseline > 0 ? string.Create(CultureInfo.InvariantCulture, $"{value / baseline:0.0}x") : "n/a";
}
