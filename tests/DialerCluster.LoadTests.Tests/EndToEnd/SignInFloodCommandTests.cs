using System.CommandLine;
using DialerCluster.LoadTests.Cli;
using DialerCluster.LoadTests.Tests.Support;

namespace DialerCluster.LoadTests.Tests.EndToEnd;

/// <summary>The signin-flood command against the real host, tiny: its three /healthz probes and both floods' answers are reported.</summary>
[Collection(RealHostCollection.Name)]
public sealed class SignInFloodCommandTests : IDisposable
{
    private readonly TempFolder _results = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _results.Dispose();

    [Fact]
    public async Task Signin_flood_measures_healthz_quiet_and_during_both_floods()
    {
        var exit = await LoadTestCommands.InvokeAsync(
            ["signin-flood", "--copies", "8", "--warm-up", "1s", "--during", "2s", "--results", _results.Path, "--no-progress"],
            new InvocationConfiguration { Output = _output, Error = _error });

        var output = _output.ToString();
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{_error}");
        Assert.Contains("# signin-flood: PASS", output);
        Assert.Contains("/healthz quiet: p50", output);
        Assert.Contains("/healthz during 8 loops signing in: p50", output);
        Assert.Contains("/healthz during 8 loops of wrong passwords: p50", output);
        Assert.Contains("PASS  sign-in floods answered only 200/503 (right) and 401/429/503 (wrong)", output);
        Assert.Contains("× 429", output);
    }
}
