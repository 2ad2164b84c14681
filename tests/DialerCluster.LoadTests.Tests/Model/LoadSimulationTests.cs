using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Tests.Model;

public sealed class LoadSimulationTests
{
    private static readonly Dictionary<string, LoadSimulation> Valid = new()
    {
        ["inject:200/1s:10s"] = new InjectLoad(200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)),
        ["inject:50:2m"] = new InjectLoad(50, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2)),
        ["ramp:1000/100ms:5s"] = new RampingInjectLoad(1000, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)),
        ["keep:10000:30s"] = new KeepConstantLoad(10000, TimeSpan.FromSeconds(30)),
        ["keep-constant:1:500ms"] = new KeepConstantLoad(1, TimeSpan.FromMilliseconds(500)),
    };

    [Theory]
    [InlineData("inject:200/1s:10s")]
    [InlineData("inject:50:2m")]
    [InlineData("ramp:1000/100ms:5s")]
    [InlineData("keep:10000:30s")]
    [InlineData("keep-constant:1:500ms")]
    public void A_load_phase_parses_from_its_short_form(string text) =>
        Assert.Equal(Valid[text], LoadSimulation.Parse(text, "--load"));

    [Fact]
    public void Load_phases_describe_themselves_for_the_report() =>
        Assert.Equal(
            ["inject 200/1s for 10s", "inject 50/1s for 2m", "ramp to 1000/100ms over 5s", "keep 10000 copies for 30s", "keep 1 copies for 500ms"],
            Valid.Values.Select(l => l.Describe()));

    [Theory]
    [InlineData("inject:200/1s")]
    [InlineData("burst:200/1s:10s")]
    [InlineData("inject:fast/1s:10s")]
    [InlineData("inject:-5/1s:10s")]
    [InlineData("inject:200/0s:10s")]
    [InlineData("keep:0:10s")]
    [InlineData("keep:ten:10s")]
    [InlineData("inject:200/1s:forever")]
    public void A_malformed_load_phase_is_refused_naming_the_option(string text)
    {
        var error = Assert.Throws<BadInputException>(() => LoadSimulation.Parse(text, "--load"));

        Assert.StartsWith("--load", error.Message);
    }

    [Theory]
    [InlineData("500us", 0.5)]
    [InlineData("250ms", 250)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("00:00:03", 3000)]
    public void Durations_parse_as_people_type_them(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), DurationText.Parse(text, "--timeout"));

    [Theory]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("")]
    public void A_malformed_duration_is_refused_naming_the_option(string text) =>
        Assert.Equal("--timeout", Assert.Throws<BadInputException>(() => DurationText.Parse(text, "--timeout")).Field);
}
