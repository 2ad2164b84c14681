using System.CommandLine;
using DialerCluster.LoadTests.Cli;
using DialerCluster.LoadTests.Tests.Support;

namespace DialerCluster.LoadTests.Tests.EndToEnd;

/// <summary>Bad options of the suite commands are refused before any host is started or request sent.</summary>
public sealed class SuiteCommandLineTests : IDisposable
{
    private readonly TempFolder _results = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _results.Dispose();

    [Theory]
    [InlineData("storm", "--engine", "mysql", "--engine")]
    [InlineData("storm", "--agents", "0", "--agents")]
    [InlineData("storm", "--cases", "10000000", "--cases")]
    [InlineData("storm", "--outcome", "hung_up", "--outcome")]
    [InlineData("storm", "--sign-in", "everyone", "--sign-in")]
    [InlineData("mixed-day", "--timeout", "2m", "--timeout")]
    [InlineData("baseline", "--url", "http://10.0.0.1:5000/", "not loopback")]
    [InlineData("smoke", "--during", "soon", "--during")]
    public async Task A_bad_option_exits_with_2_naming_it(string command, string option, string value, string named)
    {
        var exit = await InvokeAsync(command, option, value);

        Assert.True(exit == 2, $"exit {exit}\n{_output}\n{_error}");
        Assert.Contains(named, _error.ToString());
        Assert.False(Directory.Exists(_results.Path));
    }

    [Fact]
    public async Task A_host_given_by_url_needs_the_admin_password_to_set_up_the_call_center()
    {
        var saved = Environment.GetEnvironmentVariable("DIALER_ADMIN_PASSWORD");
        Environment.SetEnvironmentVariable("DIALER_ADMIN_PASSWORD", null);
        try
        {
            var exit = await InvokeAsync("storm", "--url", "http://127.0.0.1:1/");

            Assert.Equal(2, exit);
            Assert.Contains("--admin-password", _error.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("DIALER_ADMIN_PASSWORD", saved);
        }
    }

    private Task<int> InvokeAsync(params string[] args) =>
        LoadTestCommands.InvokeAsync([.. args, "--results", _results.Path, "--no-progress"], new InvocationConfiguration { Output = _output, Error = _error });
}
